package io.wharf.server.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.conda.repodata.CanonicalJson;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Builds and signs the delegating metadata of conda-content-trust (CONDA.md §6): root (delegates
 * {@code root} and {@code key_mgr}) and key_mgr (delegates {@code pkg_mgr}), each
 * {@code {"signatures": {...}, "signed": {type, version, timestamp, expiration, metadata_spec_version,
 * delegations}}}.
 */
public final class TrustMetadata {
  /** How long new metadata says it is valid. Clients do not check it; rotation renews it. */
  public static final Duration VALIDITY = Duration.ofDays(365);

  private TrustMetadata() {}

  /** A role's entry of {@code delegations}. */
  public record Delegation(List<String> keyIds, int threshold) {
    ObjectNode json() {
      ObjectNode d = TrustFormats.JSON.createObjectNode();
      ArrayNode keys = d.putArray("pubkeys");
      keyIds.forEach(keys::add);
      d.put("threshold", threshold);
      return d;
    }

    public static Delegation of(JsonNode delegation) throws TrustException {
      return new Delegation(TrustVerifier.keys(delegation), TrustVerifier.threshold(delegation));
    }
  }

  /** Unsigned root metadata of {@code version}. */
  public static ObjectNode root(int version, Delegation root, Delegation keyMgr, Instant now) {
    ObjectNode delegations = TrustFormats.JSON.createObjectNode();
    delegations.set("key_mgr", keyMgr.json());
    delegations.set("root", root.json());
    return signable("root", version, delegations, now);
  }

  /** Unsigned key_mgr metadata of {@code version}. */
  public static ObjectNode keyMgr(int version, Delegation pkgMgr, Instant now) {
    ObjectNode delegations = TrustFormats.JSON.createObjectNode();
    delegations.set("pkg_mgr", pkgMgr.json());
    return signable("key_mgr", version, delegations, now);
  }

  private static ObjectNode signable(String type, int version, ObjectNode delegations, Instant now) {
    ObjectNode signed = TrustFormats.JSON.createObjectNode();
    signed.set("delegations", delegations);
    signed.put("expiration", TrustFormats.date(now.plus(VALIDITY)));
    signed.put("metadata_spec_version", TrustFormats.SPEC_VERSION);
    signed.put("timestamp", TrustFormats.date(now));
    signed.put("type", type);
    signed.put("version", version);
    ObjectNode m = TrustFormats.JSON.createObjectNode();
    m.putObject("signatures");
    m.set("signed", signed);
    return m;
  }

  /** Adds a raw Ed25519 signature by {@code key} (key_mgr metadata, records). */
  public static void signRaw(ObjectNode signable, SigningKey key) {
    byte[] data = TrustFormats.canonical(signable.get("signed"));
    ((ObjectNode) signable.get("signatures")).putObject(key.keyId())
        .put("signature", java.util.HexFormat.of().formatHex(key.sign(data)));
  }

  /** Adds an OpenPGP-style signature by {@code key} (root metadata). */
  public static void signRoot(ObjectNode signable, SigningKey key, Instant now) {
    byte[] data = TrustFormats.canonical(signable.get("signed"));
    ((ObjectNode) signable.get("signatures")).set(key.keyId(),
        OpenPgpSignatures.sign(key, data, now.getEpochSecond()));
  }

  /** The file text as conda-content-trust writes metadata: canonical JSON. */
  public static String text(JsonNode metadata) {
    return CanonicalJson.serialize(metadata);
  }

  public static int version(JsonNode metadata) {
    return metadata.path("signed").path("version").asInt();
  }
}
