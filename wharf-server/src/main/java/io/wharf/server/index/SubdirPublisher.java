package io.wharf.server.index;

import io.wharf.conda.version.VersionOrder;
import io.wharf.conda.repodata.Compression;
import io.wharf.conda.repodata.CurrentRepodata;
import io.wharf.conda.repodata.RepodataBuilder;
import io.wharf.conda.repodata.Shards;
import io.wharf.server.pkg.PackageFile;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Builds every metadata file of one subdir from its rows. Records are stored pre-serialized, so
 * repodata is concatenation, not re-parsing; shards are rebuilt only for names whose records changed.
 */
final class SubdirPublisher {
  static final String REPODATA_CACHE = "public, max-age=60";
  static final String SHARD_INDEX_CACHE = "public, max-age=60";
  static final String SHARD_CACHE = "public, max-age=31536000, immutable";
  private static final int ZSTD_LEVEL = Compression.REPODATA_ZSTD_LEVEL;
  /**
   * How long a shard stays reachable after the shard index stops naming it. A client may hold an index
   * for its max-age and then take a while to fetch the shards it names; CEP 16 asks servers to keep old
   * shards around for such clients. An hour covers that many times over.
   */
  static final long SHARD_GRACE_MILLIS = 60 * 60 * 1000L;
  /** Upper bound on retired shards per subdir, whatever the rate of change; the oldest go first. */
  static final int MAX_RETIRED_SHARDS = 4_096;

  private SubdirPublisher() {}

  /** Identifies a name's records cheaply, so an unchanged name keeps its shard without re-encoding it. */
  private static String fingerprint(SortedMap<String, String> tarBz2, SortedMap<String, String> conda) {
    java.security.MessageDigest md;
    try {
      md = java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    for (SortedMap<String, String> m : List.of(tarBz2, conda)) {
      m.forEach((fn, json) -> {
        md.update(fn.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        md.update((byte) 0);
        md.update(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        md.update((byte) 0);
      });
      md.update((byte) 1);
    }
    return java.util.HexFormat.of().formatHex(md.digest());
  }

  /**
   * Shards of the previous generation that the new one no longer names, plus earlier retired shards
   * still inside the grace period; a shard that is current again is not retired.
   */
  static Map<String, SubdirIndex.RetiredShard> retire(SubdirIndex previous, Map<String, Artifact> current,
      long now) {
    if (previous == null) {
      return Map.of();
    }
    Map<String, SubdirIndex.RetiredShard> retired = new HashMap<>();
    previous.retiredShards().forEach((hash, r) -> {
      if (!current.containsKey(hash) && now - r.retiredAt() < SHARD_GRACE_MILLIS) {
        retired.put(hash, r);
      }
    });
    previous.shards().forEach((hash, a) -> {
      if (!current.containsKey(hash)) {
        retired.put(hash, new SubdirIndex.RetiredShard(a, now));
      }
    });
    if (retired.size() > MAX_RETIRED_SHARDS) {
      List<Map.Entry<String, SubdirIndex.RetiredShard>> newestFirst = new java.util.ArrayList<>(retired.entrySet());
      newestFirst.sort((a, b) -> Long.compare(b.getValue().retiredAt(), a.getValue().retiredAt()));
      retired.clear();
      newestFirst.stream().limit(MAX_RETIRED_SHARDS).forEach(e -> retired.put(e.getKey(), e.getValue()));
    }
    return retired;
  }

  static SubdirIndex publish(long generation, String subdir, List<PackageFile> rows, SubdirIndex previous, long now) {
    SortedMap<String, String> tarBz2 = new TreeMap<>();
    SortedMap<String, String> conda = new TreeMap<>();
    Map<String, SortedMap<String, String>> tarBz2ByName = new TreeMap<>();
    Map<String, SortedMap<String, String>> condaByName = new TreeMap<>();
    Map<String, PublishedFile> files = new HashMap<>();
    for (PackageFile f : rows) {
      boolean isConda = f.filename().endsWith(".conda");
      (isConda ? conda : tarBz2).put(f.filename(), f.recordJson());
      (isConda ? condaByName : tarBz2ByName).computeIfAbsent(f.name(), k -> new TreeMap<>())
          .put(f.filename(), f.recordJson());
      files.put(f.filename(), new PublishedFile(f.filename(), f.blobKey(), f.size(), f.sha256(),
          f.uploadedAt().toEpochMilli()));
    }
    Map<String, Artifact> prev = previous == null ? Map.of() : previous.metadata();
    Map<String, Artifact> metadata = new HashMap<>();

    byte[] repodata = RepodataBuilder.build(subdir, tarBz2, conda, List.of(), Optional.empty());
    Artifact repodataJson = Artifact.json(repodata, now, REPODATA_CACHE).since(prev.get("repodata.json"));
    metadata.put("repodata.json", repodataJson);
    metadata.put("repodata.json.zst", Artifact.binary(Compression.zstd(repodata, ZSTD_LEVEL), now, REPODATA_CACHE)
        .since(prev.get("repodata.json.zst")));

    byte[] current = CurrentRepodata.build(subdir, tarBz2, conda, VersionOrder.COMPARATOR);
    metadata.put("current_repodata.json", Artifact.json(current, now, REPODATA_CACHE)
        .since(prev.get("current_repodata.json")));
    metadata.put("current_repodata.json.zst", Artifact.binary(Compression.zstd(current, ZSTD_LEVEL), now,
        REPODATA_CACHE).since(prev.get("current_repodata.json.zst")));

    Map<String, Artifact> shards = new HashMap<>();
    Map<String, SubdirIndex.ShardRef> shardsByName = new HashMap<>();
    SortedMap<String, byte[]> shardHashes = new TreeMap<>();
    java.util.Set<String> names = new java.util.TreeSet<>(tarBz2ByName.keySet());
    names.addAll(condaByName.keySet());
    for (String name : names) {
      SortedMap<String, String> t = tarBz2ByName.getOrDefault(name, new TreeMap<>());
      SortedMap<String, String> c = condaByName.getOrDefault(name, new TreeMap<>());
      String fingerprint = fingerprint(t, c);
      SubdirIndex.ShardRef ref = previous == null ? null : previous.shardsByName().get(name);
      Artifact artifact = ref != null && ref.fingerprint().equals(fingerprint) ? previous.shards().get(ref.hash()) : null;
      String hex;
      if (artifact != null) {
        hex = ref.hash(); // the records did not change: no msgpack, no zstd, same content address
      } else {
        byte[] shard = Shards.shard(t, c, List.of());
        hex = Shards.sha256Hex(shard);
        artifact = Artifact.binary(shard, now, SHARD_CACHE);
      }
      shards.put(hex, artifact);
      shardsByName.put(name, new SubdirIndex.ShardRef(fingerprint, hex));
      shardHashes.put(name, java.util.HexFormat.of().parseHex(hex));
    }
    Map<String, SubdirIndex.RetiredShard> retired = retire(previous, shards, now);
    byte[] shardIndex = Shards.index(subdir, shardHashes, "", "./shards/", Instant.ofEpochMilli(now));
    metadata.put("repodata_shards.msgpack.zst",
        Artifact.binary(shardIndex, now, SHARD_INDEX_CACHE));
    return new SubdirIndex(generation, Map.copyOf(metadata), Map.copyOf(files), Map.copyOf(shards),
        Map.copyOf(retired), Map.copyOf(shardsByName));
  }
}
