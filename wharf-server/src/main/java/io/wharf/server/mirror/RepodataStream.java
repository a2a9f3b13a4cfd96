package io.wharf.server.mirror;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A spooled upstream repodata.json read as a stream: first its small top-level members ({@code info},
 * {@code signatures}; every other member is skipped, so the whole document is checked to be JSON before
 * anything is written), then its records one at a time, each as the exact bytes upstream served for it.
 * A subdir of 500,000 records is a document of hundreds of MB; a record is only scanned to find where it
 * ends, and turned into a tree ({@link #parse}, floats kept exact) only if the run needs to look into it.
 */
final class RepodataStream {
  /**
   * The parser of the pass over a whole document, which checks it is JSON and keeps its small members. Its
   * member names are mostly record filenames, each met once: canonicalizing them (Jackson's default, which
   * pays off for the few names an object mapper sees again and again) kept every filename in a symbol table
   * and took most of the time and allocation of a pass over a subdir of 500,000 records.
   */
  private static final JsonFactory SCAN = JsonFactory.builder()
      .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES).build();

  /** Receives each record of the document in turn: its filename and its bytes as upstream served them. */
  interface RecordSink {
    void accept(String filename, byte[] raw) throws IOException;
  }

  /** The document's {@code info} and {@code signatures} (missing nodes when absent). */
  record Head(JsonNode info, JsonNode signatures) {}

  private RepodataStream() {}

  /** Reads the head; {@code upstream_invalid} (502) when the file is not one JSON object. */
  static Head head(Path file, String url) {
    JsonNode info = MissingNode.getInstance();
    JsonNode signatures = MissingNode.getInstance();
    try (JsonParser p = SCAN.createParser(file.toFile())) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw Upstream.badGateway("upstream_invalid", url + " is not a JSON object", url);
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.getCurrentName();
        p.nextToken();
        switch (name) {
          case "info" -> info = Upstream.JSON.readTree(p);
          case "signatures" -> signatures = Upstream.JSON.readTree(p);
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
   * Passes each record of {@code packages} then {@code packages.conda} (in document order) to {@code sink},
   * as the span of the document from its first to its last byte; exceptions of the sink pass through. The
   * document must have been read by {@link #head} first, which checked it is JSON ({@link RecordSpans}).
   */
  static void records(Path file, String url, RecordSink sink) throws IOException {
    try {
      RecordSpans.read(file, sink);
    } catch (RecordSpans.Malformed e) {
      throw Upstream.badGateway("upstream_invalid", "reading " + url + " failed: " + e.getMessage(), url);
    }
  }

  /** A record's bytes as a tree, floats kept exact; {@code upstream_invalid} if they are not one JSON value. */
  static JsonNode parse(byte[] raw, String url) {
    try {
      return Upstream.JSON.readTree(raw);
    } catch (IOException e) {
      throw Upstream.badGateway("upstream_invalid", "reading " + url + " failed: " + e.getMessage(), url);
    }
  }
}
