package io.wharf.server.index;

import io.wharf.conda.pkg.InvalidNameException;
import io.wharf.conda.pkg.PackageFilename;
import io.wharf.conda.repodata.Shards;
import io.wharf.server.index.store.SegmentedDoc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What one subdir of one channel location serves, as published at one moment: repodata.json (plain,
 * gzip, zstd), current_repodata.json (likewise), the CEP 16 shard index, the shards, and the package
 * files. Immutable; readers keep using a snapshot while the next one is prepared, and the swap is one
 * reference assignment. Only keys and offsets are on the heap; the bytes are mapped files.
 */
public final class SubdirSnapshot {
  static final String REPODATA_CACHE = "public, max-age=60";
  static final String SHARD_INDEX_CACHE = "public, max-age=60";
  static final String SHARD_CACHE = "public, max-age=31536000, immutable";
  private static final Pattern SHARD_HASH = Pattern.compile("[0-9a-f]{64}");

  private final SegmentedDoc doc;
  private final Map<String, Artifact> metadata;
  private final Path shardDir;

  private SubdirSnapshot(SegmentedDoc doc, Map<String, Artifact> metadata, Path shardDir) {
    this.doc = doc;
    this.metadata = metadata;
    this.shardDir = shardDir;
  }

  static SubdirSnapshot publish(String subdir, SegmentedDoc doc, byte[] shardIndex, Path shardDir,
      SubdirSnapshot previous, long now) {
    Map<String, Artifact> prev = previous == null ? Map.of() : previous.metadata;
    Map<String, Artifact> m = new HashMap<>();
    String head = "{\"info\":{\"subdir\":" + JsonStrings.quote(subdir) + "},\"packages\":{";
    DocArtifacts.Pair repodata = repodata(doc, head, NameValues.TAR, NameValues.CONDA, NameValues.SIGS, now,
        prev.get("repodata.json"), prev.get("repodata.json.zst"));
    m.put("repodata.json", repodata.json());
    m.put("repodata.json.zst", repodata.zst());
    DocArtifacts.Pair current = repodata(doc, head, NameValues.CURRENT_TAR, NameValues.CURRENT_CONDA,
        NameValues.CURRENT_SIGS, now, prev.get("current_repodata.json"), prev.get("current_repodata.json.zst"));
    m.put("current_repodata.json", current.json());
    m.put("current_repodata.json.zst", current.zst());
    m.put("repodata_shards.msgpack.zst", Artifact.small(shardIndex, now, Artifact.BINARY, SHARD_INDEX_CACHE)
        .since(prev.get("repodata_shards.msgpack.zst")));
    return new SubdirSnapshot(doc, Map.copyOf(m), shardDir);
  }

  SegmentedDoc doc() {
    return doc;
  }

  /**
   * A repodata document; with the top-level {@code signatures} object (CEP 36 Appendix A, after
   * {@code repodata_version} in sorted key order) only when some record is signed, so an unsigned
   * channel's files stay as they were.
   */
  private static DocArtifacts.Pair repodata(SegmentedDoc doc, String head, int tar, int conda, int sigs, long now,
      Artifact previousJson, Artifact previousZst) {
    boolean signed = doc.segments().stream().anyMatch(s -> !s.isEmpty(sigs));
    // files removed by patch instructions are listed only when there are any, so that a channel without
    // such patches publishes the bytes (and ETags) it did before patches existed
    boolean removed = doc.segments().stream().anyMatch(s -> !s.isEmpty(NameValues.REMOVED));
    List<String> texts = new java.util.ArrayList<>(List.of(head, "},\"packages.conda\":{"));
    List<Integer> parts = new java.util.ArrayList<>(List.of(tar, conda));
    if (removed) {
      texts.add("},\"removed\":[");
      parts.add(NameValues.REMOVED);
      texts.add("],\"repodata_version\":1");
    } else {
      texts.add("},\"removed\":[],\"repodata_version\":1");
    }
    if (signed) {
      texts.set(texts.size() - 1, texts.get(texts.size() - 1) + ",\"signatures\":{");
      parts.add(sigs);
      texts.add("}}");
    } else {
      texts.set(texts.size() - 1, texts.get(texts.size() - 1) + "}");
    }
    return DocArtifacts.assemble(doc, texts, parts.stream().mapToInt(Integer::intValue).toArray(), REPODATA_CACHE,
        now, previousJson, previousZst);
  }

  public Optional<Artifact> metadata(String path) {
    return Optional.ofNullable(metadata.get(path));
  }

  /** A package file listed in this snapshot. */
  public Optional<PublishedFile> file(String filename) {
    String name;
    try {
      name = PackageFilename.parse(filename).name();
    } catch (InvalidNameException e) {
      return Optional.empty();
    }
    String table = EntryText.utf8(doc.value(NameValues.FILES, name));
    return Optional.ofNullable(PublishedFile.find(table, filename));
  }

  /**
   * Whether the shard file named by this hash is there and its bytes hash to its name; when it is there and
   * does not, it is deleted so that publishing its name again writes it anew (a shard file that exists is
   * otherwise trusted and kept).
   */
  boolean shardIntactOrDropped(String hex, boolean drop) {
    Path file = shardDir.resolve(hex + ".msgpack.zst");
    try {
      if (Shards.sha256Hex(Files.readAllBytes(file)).equals(hex)) {
        return true;
      }
      if (drop) {
        Files.deleteIfExists(file);
      }
      return false;
    } catch (IOException e) {
      return false; // missing or unreadable
    }
  }

  /** A shard by the hex SHA-256 of its bytes, current or retired within the grace period. */
  public Optional<Artifact> shard(String hash) {
    if (!SHARD_HASH.matcher(hash).matches()) {
      return Optional.empty();
    }
    Path file = shardDir.resolve(hash + ".msgpack.zst");
    try {
      byte[] bytes = Files.readAllBytes(file);
      long modified = Files.getLastModifiedTime(file).toMillis();
      return Optional.of(new Artifact(Artifact.Body.of(bytes), null, "\"" + hash.substring(0, 32) + "\"",
          modified, Artifact.BINARY, SHARD_CACHE));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
