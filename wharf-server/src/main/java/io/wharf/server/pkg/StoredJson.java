package io.wharf.server.pkg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Reads the JSON a package file row keeps (record, index.json, about.json, run_exports, flags). */
public final class StoredJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StoredJson() {}

  /** The text was written by Wharf itself at upload, so unreadable JSON is a broken database, not bad input. */
  public static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("stored metadata is not JSON", e);
    }
  }
}
