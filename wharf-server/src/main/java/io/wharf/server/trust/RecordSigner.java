package io.wharf.server.trust;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Signs repodata records with the instance's pkg_mgr keys, as conda-content-trust's
 * {@code sign_all_in_repodata} does: a raw Ed25519 signature over the canonical JSON of the record
 * exactly as served. The result is the compact JSON of the record's entry under the top-level
 * {@code signatures} key: {@code {"<key id>":{"signature":"<hex>"}}}, keys in id order. Ed25519 is
 * deterministic, so equal records get equal signatures and republished files stay byte-stable.
 */
public final class RecordSigner {
  /** No keys: records stay unsigned. */
  public static final RecordSigner NONE = new RecordSigner(List.of());

  private final List<SigningKey> keys;

  public RecordSigner(List<SigningKey> keys) {
    this.keys = keys.stream().sorted(java.util.Comparator.comparing(SigningKey::keyId)).toList();
  }

  /**
   * The signer for this instance: the pkg_mgr private keys in {@code dir} that the stored key_mgr.json
   * delegates to; {@link #NONE} when the instance has no trust metadata.
   *
   * @throws IllegalStateException when metadata exists but the key directory lacks the pkg_mgr keys it
   *     needs (starting would silently publish unsigned records)
   */
  public static RecordSigner load(JdbcTrustMetadata metadata, KeyDirectory dir) {
    Optional<String> keyMgr = metadata.keyMgr();
    if (keyMgr.isEmpty()) {
      return NONE;
    }
    JsonNode delegation;
    try {
      delegation = TrustFormats.JSON.readTree(keyMgr.get()).path("signed").path("delegations").path("pkg_mgr");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> allowed = new java.util.ArrayList<>();
    delegation.path("pubkeys").forEach(k -> allowed.add(k.asText()));
    int threshold = delegation.path("threshold").asInt(1);
    List<SigningKey> usable = dir.read("pkg_mgr").stream().filter(k -> allowed.contains(k.keyId())).toList();
    if (usable.size() < threshold) {
      throw new IllegalStateException("key_mgr.json delegates package signing to " + allowed + " (threshold "
          + threshold + ") but " + dir.path().resolve("pkg_mgr") + " holds " + usable.size()
          + " of those private keys; set signing.keys to the directory that holds them");
    }
    return new RecordSigner(usable);
  }

  public boolean active() {
    return !keys.isEmpty();
  }

  public List<String> keyIds() {
    return keys.stream().map(SigningKey::keyId).toList();
  }

  /** The signatures entry for this record text; null without keys. */
  public String sign(String recordJson) {
    if (keys.isEmpty()) {
      return null;
    }
    byte[] payload;
    try {
      payload = TrustFormats.canonical(TrustFormats.JSON.readTree(recordJson));
    } catch (IOException e) {
      throw new IllegalArgumentException("record is not JSON", e);
    }
    StringBuilder sb = new StringBuilder("{");
    for (SigningKey k : keys) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      sb.append('"').append(k.keyId()).append("\":{\"signature\":\"")
          .append(HexFormat.of().formatHex(k.sign(payload))).append("\"}");
    }
    return sb.append('}').toString();
  }

  /** Whether a stored signatures entry is one this signer would write (signed by exactly its keys). */
  public boolean current(String signaturesJson) {
    if (signaturesJson == null) {
      return keys.isEmpty();
    }
    for (SigningKey k : keys) {
      if (!signaturesJson.contains("\"" + k.keyId() + "\"")) {
        return false;
      }
    }
    return true;
  }
}
