package io.wharf.server.index;

import java.util.Map;
import java.util.Optional;

/**
 * A published snapshot of one subdir of one channel location: every metadata file by its path below
 * the subdir ({@code repodata.json}, {@code shards/<hash>.msgpack.zst}, ...) and every package file.
 */
public record SubdirIndex(long generation, Map<String, Artifact> metadata, Map<String, PublishedFile> files,
    Map<String, Artifact> shards, Map<String, Artifact> retiredShards, Map<String, ShardRef> shardsByName) {

  /** Which shard serves a package name, and a fingerprint of the records it was built from. */
  public record ShardRef(String fingerprint, String hash) {}

  public Optional<Artifact> metadata(String path) {
    return Optional.ofNullable(metadata.get(path));
  }

  public Optional<PublishedFile> file(String filename) {
    return Optional.ofNullable(files.get(filename));
  }

  /** A shard by the hex SHA-256 of its bytes, current or from the previous generation. */
  public Optional<Artifact> shard(String hash) {
    Artifact a = shards.get(hash);
    return Optional.ofNullable(a != null ? a : retiredShards.get(hash));
  }
}
