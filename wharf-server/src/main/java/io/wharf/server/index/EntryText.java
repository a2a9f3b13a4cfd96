package io.wharf.server.index;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads back published {@code "filename":{record}} pairs as the exact record texts that were written,
 * so records republished from a segment are byte-for-byte those that came from the database.
 */
final class EntryText {
  private static final JsonFactory JSON = new JsonFactory();

  private EntryText() {}

  static String utf8(ByteBuffer b) {
    if (b == null) {
      return "";
    }
    byte[] bytes = new byte[b.remaining()];
    b.duplicate().get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  static SortedMap<String, String> split(ByteBuffer entries) {
    SortedMap<String, String> out = new TreeMap<>();
    if (entries == null) {
      return out;
    }
    String text = "{" + utf8(entries) + "}";
    try (JsonParser p = JSON.createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalStateException("published entries are not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String filename = p.currentName();
        p.nextToken();
        int start = (int) p.currentTokenLocation().getCharOffset();
        p.skipChildren();
        int end = (int) p.currentLocation().getCharOffset();
        out.put(filename, text.substring(start, end));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
