package io.wharf.server.trust;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/** Reads a stored signatures entry ({@code {"<key id>":{"signature":"<hex>"}}}). */
public final class RecordSignatures {
  private RecordSignatures() {}

  public record Entry(String keyId, String signature) {}

  /** The first key and its signature, in key id order; empty for an unsigned record. */
  public static Optional<Entry> first(String signaturesJson) {
    if (signaturesJson == null) {
      return Optional.empty();
    }
    try {
      JsonNode n = TrustFormats.JSON.readTree(signaturesJson);
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        return Optional.of(new Entry(e.getKey(), e.getValue().path("signature").asText()));
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
