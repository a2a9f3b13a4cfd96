package io.wharf.server.trust;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a local package file is the one a channel serves, and whether the served record is signed
 * as conda-content-trust would accept: the record for the file name exists, its sha256 and size equal
 * the file's, the root chain verifies from the first root the caller trusts, key_mgr verifies against
 * the newest root, and the record's signatures meet the pkg_mgr threshold of key_mgr.
 */
public final class FileVerification {
  private FileVerification() {}

  /** The verdict and, line by line, what was checked; {@code reason} says why when not trusted. */
  public record Verdict(boolean trusted, String reason, List<String> checks) {}

  /**
   * @param repodata the subdir's repodata.json as served
   * @param roots root metadata versions 1..N as served
   * @param pinnedRoot a root the user trusts out of band (conda's av_data_dir copy), or null to trust
   *     the served 1.root.json on first use
   */
  public static Verdict verify(String filename, String sha256, long size, JsonNode repodata, List<JsonNode> roots,
      JsonNode keyMgr, JsonNode pinnedRoot) {
    List<String> checks = new ArrayList<>();
    JsonNode record = repodata.path(filename.endsWith(".conda") ? "packages.conda" : "packages").get(filename);
    if (record == null) {
      return new Verdict(false, "the channel's repodata has no record for " + filename, checks);
    }
    if (!sha256.equalsIgnoreCase(record.path("sha256").asText())) {
      return new Verdict(false, "sha256 differs: the file has " + sha256 + ", the record says "
          + record.path("sha256").asText(), checks);
    }
    if (size != record.path("size").asLong(-1)) {
      return new Verdict(false, "size differs: the file has " + size + " bytes, the record says "
          + record.path("size").asText(), checks);
    }
    checks.add("sha256 and size match the record");
    JsonNode signatures = repodata.path("signatures").get(filename);
    if (signatures == null) {
      return new Verdict(false, "the record is not signed (no entry under \"signatures\")", checks);
    }
    JsonNode root;
    try {
      root = rootFrom(roots, pinnedRoot);
    } catch (TrustException e) {
      return new Verdict(false, "the root metadata does not verify: " + e.getMessage(), checks);
    }
    checks.add("root metadata verifies up to version " + TrustMetadata.version(root)
        + (pinnedRoot == null ? " (version 1 trusted as served)" : " (from the pinned root)"));
    if (keyMgr == null) {
      return new Verdict(false, "the server has no key_mgr.json", checks);
    }
    try {
      TrustVerifier.verifyDelegation("key_mgr", keyMgr, root);
    } catch (TrustException e) {
      return new Verdict(false, "key_mgr.json does not verify against root version " + TrustMetadata.version(root)
          + ": " + e.getMessage(), checks);
    }
    checks.add("key_mgr.json is signed by the root's key_mgr key(s)");
    try {
      TrustVerifier.verifyRecord(record, signatures, keyMgr);
    } catch (TrustException e) {
      return new Verdict(false, "the record's signature does not verify: " + e.getMessage(), checks);
    }
    checks.add("the record is signed by pkg_mgr key(s) "
        + String.join(", ", TrustVerifier.goodSignatures(TrustVerifier.envelope(record, signatures),
            keyIds(keyMgr), false)));
    return new Verdict(true, null, checks);
  }

  private static List<String> keyIds(JsonNode keyMgr) {
    List<String> ids = new ArrayList<>();
    keyMgr.path("signed").path("delegations").path("pkg_mgr").path("pubkeys").forEach(k -> ids.add(k.asText()));
    return ids;
  }

  /** The newest served root reachable by chaining from the pinned root (or from served version 1). */
  private static JsonNode rootFrom(List<JsonNode> roots, JsonNode pinned) throws TrustException {
    if (pinned == null) {
      return TrustVerifier.verifyRootChain(roots);
    }
    JsonNode trusted = pinned;
    int from = TrustMetadata.version(pinned);
    for (JsonNode next : roots) {
      if (TrustMetadata.version(next) > from) {
        TrustVerifier.verifyRoot(trusted, next);
        trusted = next;
      }
    }
    return trusted;
  }
}
