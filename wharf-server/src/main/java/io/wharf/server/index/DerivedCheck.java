package io.wharf.server.index;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.conda.repodata.Shards;
import io.wharf.server.index.store.Segment;
import io.wharf.server.index.store.SegmentedDoc;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a subdir publishes beyond each name's own records: current_repodata.json (whose selection for one
 * name depends on what other names require, so it can only be judged against a whole build) and the CEP 16
 * shard index and shards. Compared against a build of the same location made afresh from its rows.
 */
final class DerivedCheck {
  static final String CURRENT = "its current_repodata.json records differ from the rows";
  static final String SHARD_INDEX = "its entry in repodata_shards.msgpack.zst differs from the rows";
  static final String SHARD_FILE = "its shard file is missing or its bytes do not match its hash";
  /** A shard index holds one 32-byte hash per name: far below this even for the largest channels. */
  private static final long MAX_INDEX_BYTES = 1L << 30;

  private DerivedCheck() {}

  /**
   * Names of the published snapshot whose current_repodata records or shard disagree with {@code fresh},
   * with why, in name order. With {@code drop}, a shard file whose bytes do not match its hash is deleted,
   * so that republishing the name writes it again.
   */
  static Map<String, String> disagreements(SubdirSnapshot published, SubdirSnapshot fresh, boolean drop) {
    Map<String, String> publishedShards = shardIndex(published);
    Map<String, String> expectedShards = shardIndex(fresh);
    Set<String> names = new TreeSet<>(publishedShards.keySet());
    names.addAll(expectedShards.keySet());
    names.addAll(names(published.doc()));
    names.addAll(names(fresh.doc()));
    Map<String, String> out = new TreeMap<>();
    for (String name : names) {
      String hex = publishedShards.get(name);
      if (!same(published.doc().value(NameValues.CURRENT_TAR, name), fresh.doc().value(NameValues.CURRENT_TAR, name))
          || !same(published.doc().value(NameValues.CURRENT_CONDA, name),
              fresh.doc().value(NameValues.CURRENT_CONDA, name))) {
        out.put(name, CURRENT);
      } else if (!Objects.equals(hex, expectedShards.get(name))) {
        out.put(name, SHARD_INDEX);
      } else if (hex != null && !published.shardIntactOrDropped(hex, drop)) {
        out.put(name, SHARD_FILE);
      }
    }
    return out;
  }

  /** The served shard index as name to hex hash; empty when there is none. */
  private static Map<String, String> shardIndex(SubdirSnapshot snapshot) {
    Map<String, String> out = new TreeMap<>();
    Artifact index = snapshot.metadata("repodata_shards.msgpack.zst").orElse(null);
    if (index == null) {
      return out;
    }
    try {
      JsonNode shards = Shards.decode(index.bytes(), MAX_INDEX_BYTES).path("shards");
      shards.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    } catch (IOException e) {
      out.put("", "unreadable: " + e.getMessage()); // no name is empty: every name then disagrees
    }
    return out;
  }

  private static Set<String> names(SegmentedDoc doc) {
    Set<String> out = new TreeSet<>();
    for (Segment s : doc.segments()) {
      out.addAll(s.keys());
    }
    return out;
  }

  private static boolean same(ByteBuffer a, ByteBuffer b) {
    ByteBuffer x = a == null ? ByteBuffer.allocate(0) : a.duplicate();
    ByteBuffer y = b == null ? ByteBuffer.allocate(0) : b.duplicate();
    return x.equals(y);
  }
}
