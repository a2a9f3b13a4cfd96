package io.wharf.server.index;

import java.util.Map;
import java.util.Optional;

/**
 * A published snapshot of one subdir of one channel location: every metadata file by its path below
 * the subdir ({@code repodata.json}, {@code shards/<hash>.msgpack.zst}, ...) and every package file.
 */
public record SubdirIndex(long generation, Map<String, Artifact> metadata, Map<String, PublishedFile> files,
    Map<String, Artifact> shards, Map<String, RetiredShard> retiredShards, Map<String, ShardRef> shardsByName) {

  /** Which shard serves a package name, and a fingerprint of the records it was built from. */
  public record ShardRef(String fingerprint, String hash) {}

  /** A shard no longer named by the shard index, kept for clients that still hold an older index. */
  public record RetiredShard(Artifact artifact, long retiredAt) {}

  public Optional<Artifact> metadata(String path) {
    return Optional.ofNullable(metadata.get(path));
  }

  public Optional<PublishedFile> file(String filename) {
    return Optional.ofNullable(files.get(filename));
  }

  /** A shard by the hex SHA-256 of its bytes, current or retired within the grace period. */
  public Optional<Artifact> shard(String hash) {
    Artifact a = shards.get(hash);
    if (a != null) {
      return Optional.of(a);
    }
    RetiredShard r = retiredShards.get(hash);
    return r == null ? Optional.empty() : Optional.of(r.artifact());
  }
}
