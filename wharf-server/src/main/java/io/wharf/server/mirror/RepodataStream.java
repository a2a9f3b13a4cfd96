package io.wharf.server.mirror;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A spooled upstream repodata.json read as a stream: first its small top-level members ({@code info},
 * {@code signatures}; every other member is skipped, so the document's structure is checked before anything
 * is written), then its records one at a time, each as the exact bytes upstream served for it.
 * A subdir of 500,000 records is a document of hundreds of MB; a record is only scanned to find where it
 * ends, and turned into a tree ({@link #parse}, floats kept exact) only if the run needs to look into it.
 */
final class RepodataStream {
  /** Receives each record of the document in turn: its filename and its bytes as upstream served them. */
  interface RecordSink {
    void accept(String filename, byte[] raw) throws IOException;
  }

  /** The document's {@code info} and {@code signatures} (missing nodes when absent). */
  record Head(JsonNode info, JsonNode signatures) {}

  private RepodataStream() {}

  /**
   * Reads the head: {@code info} and {@code signatures}, wherever they are in the document, and checks the
   * document is one object whose members are well delimited; {@code upstream_invalid} (502) when it is not.
   */
  static Head head(Path file, String url) {
    JsonNode[] head = {MissingNode.getInstance(), MissingNode.getInstance()};
    try {
      RecordSpans.members(file, java.util.Set.of("info", "signatures"), (name, raw) ->
          head[name.equals("info") ? 0 : 1] = Upstream.JSON.readTree(raw));
    } catch (IOException e) {
      throw Upstream.badGateway("upstream_invalid", "reading " + url + " failed: " + e.getMessage(), url);
    }
    return new Head(head[0], head[1]);
  }

  /**
   * Passes each record of {@code packages} then {@code packages.conda} (in document order) to {@code sink},
   * as the span of the document from its first to its last byte; exceptions of the sink pass through.
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
