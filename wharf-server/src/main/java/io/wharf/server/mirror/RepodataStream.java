package io.wharf.server.mirror;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A spooled upstream repodata.json read as a stream: first its small top-level members ({@code info},
 * {@code signatures}; every other member is skipped, so the whole document is checked to be JSON before
 * anything is written), then its records one at a time. A subdir of 500,000 records is a document of
 * hundreds of MB; only one record is in memory at a time (as a tree, with floats kept exact).
 */
final class RepodataStream {
  private static final List<String> RECORD_KEYS = List.of("packages", "packages.conda");

  /** Receives each record of the document in turn. */
  interface RecordSink {
    void accept(String filename, JsonNode record) throws IOException;
  }

  /** The document's {@code info} and {@code signatures} (missing nodes when absent). */
  record Head(JsonNode info, JsonNode signatures) {}

  private RepodataStream() {}

  /** Reads the head; {@code upstream_invalid} (502) when the file is not one JSON object. */
  static Head head(Path file, String url) {
    JsonNode info = MissingNode.getInstance();
    JsonNode signatures = MissingNode.getInstance();
    try (JsonParser p = Upstream.JSON.createParser(file.toFile())) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw Upstream.badGateway("upstream_invalid", url + " is not a JSON object", url);
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.getCurrentName();
        p.nextToken();
        switch (name) {
          case "info" -> info = p.readValueAsTree();
          case "signatures" -> signatures = p.readValueAsTree();
          default -> p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        throw Upstream.badGateway("upstream_invalid", url + " has content after its JSON object", url);
      }
    } catch (IOException e) {
      throw Upstream.badGateway("upstream_invalid", "reading " + url + " failed: " + e.getMessage(), url);
    }
    return new Head(info, signatures);
  }

  /**
   * Passes each record of {@code packages} then {@code packages.conda} (in document order) to {@code sink};
   * exceptions of the sink pass through.
   */
  static void records(Path file, String url, RecordSink sink) throws IOException {
    try (JsonParser p = Upstream.JSON.createParser(file.toFile())) {
      p.nextToken();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.getCurrentName();
        JsonToken value = p.nextToken();
        if (!RECORD_KEYS.contains(name) || value != JsonToken.START_OBJECT) {
          p.skipChildren();
          continue;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String filename = p.getCurrentName();
          p.nextToken();
          JsonNode record = p.readValueAsTree();
          sink.accept(filename, record);
        }
      }
    } catch (JsonProcessingException e) {
      throw Upstream.badGateway("upstream_invalid", "reading " + url + " failed: " + e.getMessage(), url);
    }
  }
}
