package io.wharf.server.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks conda-content-trust makes (its {@code authentication} module, CONDA.md §6), written from
 * its published rules: a signable is {@code {"signatures": {...}, "signed": ...}}; it verifies when at
 * least {@code threshold} distinct keys listed by the delegating metadata have a good signature over the
 * canonical bytes of {@code signed}; root signatures are OpenPGP-style ({@link OpenPgpSignatures}), all
 * others raw Ed25519; root version N+1 must be signed by the root keys of N and of N+1. Expiration is
 * not checked, as the client does not check it.
 */
public final class TrustVerifier {
  private TrustVerifier() {}

  /** Wraps a repodata record and its signatures as the client does before verifying them. */
  public static ObjectNode envelope(JsonNode record, JsonNode signatures) {
    ObjectNode e = TrustFormats.JSON.createObjectNode();
    e.set("signatures", signatures == null ? TrustFormats.JSON.createObjectNode() : signatures.deepCopy());
    e.set("signed", record.deepCopy());
    return e;
  }

  /** Checks a repodata record's signatures against the {@code pkg_mgr} delegation of key_mgr metadata. */
  public static void verifyRecord(JsonNode record, JsonNode signatures, JsonNode keyMgr) throws TrustException {
    verifyDelegation("pkg_mgr", envelope(record, signatures), keyMgr);
  }

  /** Checks that {@code delegated} is signed as {@code delegating} demands for role {@code role}. */
  public static void verifyDelegation(String role, JsonNode delegated, JsonNode delegating) throws TrustException {
    requireSignable(delegating, "delegating metadata");
    requireSignable(delegated, role + " metadata");
    JsonNode type = delegated.get("signed").get("type");
    if (delegated.get("signed").has("delegations") && type != null && !role.equals(type.asText())) {
      throw new TrustException("metadata claims to be of type \"" + type.asText() + "\", expected \"" + role + "\"");
    }
    JsonNode delegation = delegating.get("signed").path("delegations").get(role);
    if (delegation == null) {
      throw new TrustException("the delegating metadata does not delegate " + role);
    }
    verifySignable(delegated, keys(delegation), threshold(delegation), false);
  }

  /**
   * Root chaining: {@code untrusted} must be root metadata of exactly the next version, signed by a
   * threshold of the trusted root's root keys and of its own.
   */
  public static void verifyRoot(JsonNode trusted, JsonNode untrusted) throws TrustException {
    requireSignable(trusted, "trusted root");
    requireSignable(untrusted, "new root");
    if (!"root".equals(trusted.get("signed").path("type").asText())
        || !"root".equals(untrusted.get("signed").path("type").asText())) {
      throw new TrustException("both files must be root metadata");
    }
    long have = trusted.get("signed").path("version").asLong();
    long next = untrusted.get("signed").path("version").asLong();
    if (next != have + 1) {
      throw new TrustException("root version " + next + " does not follow trusted root version " + have
          + " (versions may not be skipped)");
    }
    JsonNode oldRoot = trusted.get("signed").path("delegations").get("root");
    JsonNode newRoot = untrusted.get("signed").path("delegations").get("root");
    if (oldRoot == null || newRoot == null) {
      throw new TrustException("root metadata without a root delegation");
    }
    verifySignable(untrusted, keys(oldRoot), threshold(oldRoot), true);
    verifySignable(untrusted, keys(newRoot), threshold(newRoot), true);
  }

  /** Walks a chain of root versions 1..N and returns the last, each checked against the one before. */
  public static JsonNode verifyRootChain(List<JsonNode> roots) throws TrustException {
    if (roots.isEmpty()) {
      throw new TrustException("no root metadata");
    }
    JsonNode first = roots.get(0);
    requireSignable(first, "root version 1");
    JsonNode rootRole = first.get("signed").path("delegations").get("root");
    if (rootRole == null) {
      throw new TrustException("root metadata without a root delegation");
    }
    // the first root is trusted out of band; it must still be signed by its own root keys
    verifySignable(first, keys(rootRole), threshold(rootRole), true);
    JsonNode trusted = first;
    for (JsonNode next : roots.subList(1, roots.size())) {
      verifyRoot(trusted, next);
      trusted = next;
    }
    return trusted;
  }

  /** The keys with a good signature (a set: one key counts once), whether or not the threshold is met. */
  public static Set<String> goodSignatures(JsonNode signable, List<String> authorized, boolean openPgp) {
    byte[] data = TrustFormats.canonical(signable.get("signed"));
    Set<String> good = new LinkedHashSet<>();
    for (Map.Entry<String, JsonNode> e : signable.get("signatures").properties()) {
      String keyId = e.getKey();
      JsonNode sig = e.getValue();
      if (!TrustFormats.isHex(keyId, 64) || !authorized.contains(keyId) || !sig.isObject()) {
        continue;
      }
      String value = sig.path("signature").asText("");
      boolean ok;
      if (openPgp) {
        ok = sig.has("other_headers") && OpenPgpSignatures.verify(keyId, sig.path("other_headers").asText(""),
            value, data);
      } else {
        ok = TrustFormats.isHex(value, 128) && SigningKey.verify(keyId, HexFormat.of().parseHex(value), data);
      }
      if (ok) {
        good.add(keyId);
      }
    }
    return good;
  }

  static void verifySignable(JsonNode signable, List<String> authorized, int threshold, boolean openPgp)
      throws TrustException {
    if (threshold < 1) {
      throw new TrustException("threshold must be at least 1");
    }
    Set<String> good = goodSignatures(signable, authorized, openPgp);
    if (good.size() < threshold) {
      throw new TrustException("needs good signatures from " + threshold + " of " + authorized.size()
          + " authorized key(s); found " + good.size() + " among " + signable.get("signatures").size()
          + " signature(s)");
    }
  }

  private static void requireSignable(JsonNode n, String what) throws TrustException {
    if (n == null || !n.isObject() || n.size() != 2 || !n.path("signatures").isObject() || !n.has("signed")) {
      throw new TrustException(what + " is not a signable object {\"signatures\": {...}, \"signed\": ...}");
    }
  }

  static List<String> keys(JsonNode delegation) throws TrustException {
    List<String> out = new ArrayList<>();
    for (JsonNode k : delegation.path("pubkeys")) {
      if (!TrustFormats.isHex(k.asText(), 64)) {
        throw new TrustException("delegation lists a key that is not 64 lowercase hex characters");
      }
      out.add(k.asText());
    }
    return out;
  }

  static int threshold(JsonNode delegation) throws TrustException {
    JsonNode t = delegation.get("threshold");
    if (t == null || !t.canConvertToInt() || t.asInt() < 1) {
      throw new TrustException("delegation threshold must be an integer >= 1");
    }
    return t.asInt();
  }
}
