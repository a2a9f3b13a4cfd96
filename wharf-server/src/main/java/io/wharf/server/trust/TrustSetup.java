package io.wharf.server.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.server.error.WharfException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Creates, imports and rotates the instance's trust hierarchy: root metadata delegating to key_mgr,
 * key_mgr delegating to pkg_mgr, whose keys sign repodata records. Public metadata goes to the database
 * ({@link JdbcTrustMetadata}), private keys to the {@link KeyDirectory}.
 */
public final class TrustSetup {
  private static final Pattern ROOT_FILE = Pattern.compile("(\\d+)\\.root\\.json");

  private final JdbcTrustMetadata metadata;
  private final KeyDirectory keys;
  private final Clock clock;

  public TrustSetup(JdbcTrustMetadata metadata, KeyDirectory keys, Clock clock) {
    this.metadata = metadata;
    this.keys = keys;
    this.clock = clock;
  }

  /** What a setup step produced. */
  public record Outcome(int rootVersion, List<String> rootKeys, List<String> keyMgrKeys, List<String> pkgMgrKeys) {}

  /** Generates one key per role and writes 1.root.json and key_mgr.json. */
  public Outcome init() {
    requireEmpty();
    Instant now = clock.instant();
    SigningKey root = SigningKey.generate();
    SigningKey keyMgr = SigningKey.generate();
    SigningKey pkgMgr = SigningKey.generate();
    ObjectNode rootMeta = TrustMetadata.root(1, new TrustMetadata.Delegation(List.of(root.keyId()), 1),
        new TrustMetadata.Delegation(List.of(keyMgr.keyId()), 1), now);
    TrustMetadata.signRoot(rootMeta, root, now);
    ObjectNode keyMgrMeta = TrustMetadata.keyMgr(1, new TrustMetadata.Delegation(List.of(pkgMgr.keyId()), 1), now);
    TrustMetadata.signRaw(keyMgrMeta, keyMgr);
    keys.write("root", root);
    keys.write("key_mgr", keyMgr);
    keys.write("pkg_mgr", pkgMgr);
    metadata.add(List.of(JdbcTrustMetadata.New.root(1, TrustMetadata.text(rootMeta)),
        JdbcTrustMetadata.New.keyMgr(1, TrustMetadata.text(keyMgrMeta))), now.toEpochMilli());
    return new Outcome(1, List.of(root.keyId()), List.of(keyMgr.keyId()), List.of(pkgMgr.keyId()));
  }

  /**
   * Takes an existing hierarchy from {@code source}: {@code N.root.json} files from 1 on, {@code key_mgr.json},
   * and private keys in {@code pkg_mgr/} (required: they sign records) and optionally {@code root/} and
   * {@code key_mgr/} (needed later to rotate). Everything is checked before anything is kept: the root
   * chain, key_mgr against the newest root, each private key against its role's delegation.
   */
  public Outcome importFrom(Path source) {
    requireEmpty();
    List<JsonNode> roots = new ArrayList<>();
    List<String> rootTexts = new ArrayList<>();
    for (int v = 1; Files.exists(source.resolve(v + ".root.json")); v++) {
      String text = read(source.resolve(v + ".root.json"));
      rootTexts.add(text);
      roots.add(parse(text, v + ".root.json"));
    }
    if (roots.isEmpty()) {
      throw WharfException.invalid("no_root", "no 1.root.json in " + source);
    }
    requireNoGap(source, roots.size());
    Path keyMgrFile = source.resolve(JdbcTrustMetadata.KEY_MGR);
    if (!Files.exists(keyMgrFile)) {
      throw WharfException.invalid("no_key_mgr", "no key_mgr.json in " + source);
    }
    String keyMgrText = read(keyMgrFile);
    JsonNode keyMgr = parse(keyMgrText, JdbcTrustMetadata.KEY_MGR);
    JsonNode root;
    try {
      root = TrustVerifier.verifyRootChain(roots);
      TrustVerifier.verifyDelegation("key_mgr", keyMgr, root);
    } catch (TrustException e) {
      throw WharfException.invalid("untrusted_metadata", "the metadata in " + source + " does not verify: "
          + e.getMessage());
    }
    KeyDirectory from = new KeyDirectory(source);
    List<SigningKey> pkgMgr = delegated(from, "pkg_mgr", keyMgr);
    List<SigningKey> keyMgrKeys = delegated(from, "key_mgr", root);
    List<SigningKey> rootKeys = delegated(from, "root", root);
    int threshold = keyMgr.path("signed").path("delegations").path("pkg_mgr").path("threshold").asInt(1);
    if (pkgMgr.size() < threshold) {
      throw WharfException.invalid("no_pkg_mgr_keys", "key_mgr.json needs " + threshold + " pkg_mgr signature(s)"
          + " per record, but " + source.resolve("pkg_mgr") + " holds " + pkgMgr.size() + " of its private keys");
    }
    pkgMgr.forEach(k -> keys.write("pkg_mgr", k));
    keyMgrKeys.forEach(k -> keys.write("key_mgr", k));
    rootKeys.forEach(k -> keys.write("root", k));
    List<JdbcTrustMetadata.New> files = new ArrayList<>();
    for (int i = 0; i < rootTexts.size(); i++) {
      files.add(JdbcTrustMetadata.New.root(i + 1, rootTexts.get(i)));
    }
    files.add(JdbcTrustMetadata.New.keyMgr(TrustMetadata.version(keyMgr), keyMgrText));
    metadata.add(files, clock.millis());
    return new Outcome(roots.size(), ids(rootKeys), ids(keyMgrKeys), ids(pkgMgr));
  }

  /**
   * Writes root version N+1 with a new root key (key_mgr's delegation unchanged), signed by the current
   * root keys and by the new one, as root chaining requires; the replaced root keys are retired.
   */
  public Outcome rotateRoot() {
    List<String> texts = metadata.roots();
    if (texts.isEmpty()) {
      throw WharfException.conflict("no_trust_metadata", "this instance has no signing keys; run 'wharf signing init'");
    }
    JsonNode current = parse(texts.get(texts.size() - 1), "the newest root");
    JsonNode rootRole = current.path("signed").path("delegations").path("root");
    TrustMetadata.Delegation oldRoot;
    TrustMetadata.Delegation keyMgr;
    try {
      oldRoot = TrustMetadata.Delegation.of(rootRole);
      keyMgr = TrustMetadata.Delegation.of(current.path("signed").path("delegations").path("key_mgr"));
    } catch (TrustException e) {
      throw WharfException.invalid("untrusted_metadata", "the newest root metadata is malformed: " + e.getMessage());
    }
    List<SigningKey> signers = keys.read("root").stream().filter(k -> oldRoot.keyIds().contains(k.keyId())).toList();
    if (signers.size() < oldRoot.threshold()) {
      throw WharfException.conflict("no_root_keys", "rotating needs " + oldRoot.threshold() + " private key(s) of"
          + " the current root in " + keys.path().resolve("root") + "; found " + signers.size());
    }
    Instant now = clock.instant();
    int version = TrustMetadata.version(current) + 1;
    SigningKey fresh = SigningKey.generate();
    ObjectNode next = TrustMetadata.root(version, new TrustMetadata.Delegation(List.of(fresh.keyId()), 1), keyMgr,
        now);
    for (SigningKey k : signers.subList(0, oldRoot.threshold())) {
      TrustMetadata.signRoot(next, k, now);
    }
    TrustMetadata.signRoot(next, fresh, now);
    keys.write("root", fresh);
    metadata.add(List.of(JdbcTrustMetadata.New.root(version, TrustMetadata.text(next))), now.toEpochMilli());
    signers.forEach(k -> keys.retire("root", k));
    return new Outcome(version, List.of(fresh.keyId()), keyMgr.keyIds(), List.of());
  }

  private void requireEmpty() {
    if (metadata.any()) {
      throw WharfException.conflict("trust_exists", "this instance already has trust metadata;"
          + " use 'wharf signing rotate-root' to replace the root key");
    }
    if (keys.hasKeys()) {
      throw WharfException.conflict("keys_exist", "the key directory " + keys.path() + " already holds keys");
    }
  }

  private static void requireNoGap(Path source, int count) {
    try (var files = Files.list(source)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Matcher m = ROOT_FILE.matcher(p.getFileName().toString());
        if (m.matches() && Integer.parseInt(m.group(1)) > count) {
          throw WharfException.invalid("root_gap", "root versions in " + source + " stop at " + count + " but "
              + p.getFileName() + " exists; versions may not be skipped");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The private keys in {@code from/<role>/} that {@code delegating} lists for that role. */
  private static List<SigningKey> delegated(KeyDirectory from, String role, JsonNode delegating) {
    JsonNode listed = delegating.path("signed").path("delegations").path(role).path("pubkeys");
    List<SigningKey> out = new ArrayList<>();
    for (SigningKey k : from.read(role)) {
      boolean found = false;
      for (JsonNode id : listed) {
        found |= id.asText().equals(k.keyId());
      }
      if (!found) {
        throw WharfException.invalid("undelegated_key", "the " + role + " key " + k.keyId()
            + " is not among the " + role + " keys the metadata delegates to");
      }
      out.add(k);
    }
    return out;
  }

  private static List<String> ids(List<SigningKey> keys) {
    return keys.stream().map(SigningKey::keyId).toList();
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw WharfException.invalid("unreadable", "cannot read " + p + ": " + e.getMessage());
    }
  }

  private static JsonNode parse(String text, String what) {
    try {
      return TrustFormats.JSON.readTree(text);
    } catch (IOException e) {
      throw WharfException.invalid("not_json", what + " is not JSON: " + e.getMessage());
    }
  }
}
