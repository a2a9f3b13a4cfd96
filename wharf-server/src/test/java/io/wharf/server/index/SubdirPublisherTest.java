package io.wharf.server.index;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.conda.repodata.Shards;
import io.wharf.server.pkg.PackageFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Shard retention across publications of one subdir (CEP 16: old shards stay fetchable for a while). */
class SubdirPublisherTest {
  private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
  private static final long MINUTE = 60_000;

  private static PackageFile row(String name, String version) {
    String filename = name + "-" + version + "-0.conda";
    String record = "{\"build\":\"0\",\"build_number\":0,\"depends\":[],\"name\":\"" + name
        + "\",\"version\":\"" + version + "\",\"subdir\":\"noarch\"}";
    return new PackageFile(1, 1, "main", "noarch", filename, name, version, "0", 0, "m", "s", 1, "k",
        Instant.ofEpochMilli(T0), record, null, null, null, null);
  }

  private static String shardOf(SubdirIndex index, String name) {
    try {
      JsonNode decoded = Shards.decode(index.metadata("repodata_shards.msgpack.zst").orElseThrow().bytes(), 1 << 20);
      return decoded.get("shards").get(name).asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aReplacedShardStaysFetchableThroughLaterPublicationsUntilTheGracePeriodEnds() {
    SubdirIndex first = SubdirPublisher.publish(0, "noarch", List.of(row("a", "1.0")), null, T0);
    String oldShard = shardOf(first, "a");

    SubdirIndex second = SubdirPublisher.publish(1, "noarch", List.of(row("a", "2.0")), first, T0 + MINUTE);
    assertThat(shardOf(second, "a")).isNotEqualTo(oldShard);
    assertThat(second.shard(oldShard)).as("retired, still served").isPresent();

    // Further changes to other names do not push the retired shard out, as a one-generation window would.
    SubdirIndex third = SubdirPublisher.publish(2, "noarch", List.of(row("a", "2.0"), row("b", "1.0")), second,
        T0 + 2 * MINUTE);
    SubdirIndex fourth = SubdirPublisher.publish(3, "noarch", List.of(row("a", "2.0"), row("b", "1.1")), third,
        T0 + 3 * MINUTE);
    assertThat(fourth.shard(oldShard)).isPresent();
    assertThat(fourth.shard(shardOf(third, "b"))).isPresent();

    long afterGrace = T0 + MINUTE + SubdirPublisher.SHARD_GRACE_MILLIS;
    SubdirIndex late = SubdirPublisher.publish(4, "noarch", List.of(row("a", "2.0"), row("b", "1.2")), fourth,
        afterGrace);
    assertThat(late.shard(oldShard)).as("retired an hour ago").isEmpty();
    assertThat(late.shard(shardOf(third, "b"))).as("retired later, still in grace").isPresent();
    assertThat(late.shard(shardOf(late, "a"))).isPresent();
  }

  @Test
  void aShardThatBecomesCurrentAgainIsNotRetiredAndUnknownHashesAreAbsent() {
    SubdirIndex first = SubdirPublisher.publish(0, "noarch", List.of(row("a", "1.0")), null, T0);
    SubdirIndex second = SubdirPublisher.publish(1, "noarch", List.of(row("a", "2.0")), first, T0 + MINUTE);
    SubdirIndex back = SubdirPublisher.publish(2, "noarch", List.of(row("a", "1.0")), second, T0 + 2 * MINUTE);

    assertThat(shardOf(back, "a")).isEqualTo(shardOf(first, "a"));
    assertThat(back.retiredShards()).containsOnlyKeys(shardOf(second, "a"));
    assertThat(back.shard("00".repeat(32))).isEmpty();
  }

  @Test
  void retiredShardsAreBoundedKeepingTheNewest() {
    Artifact bytes = SubdirPublisher.publish(0, "noarch", List.of(row("a", "0")), null, T0)
        .metadata("repodata.json").orElseThrow();
    Map<String, SubdirIndex.RetiredShard> many = new HashMap<>();
    int count = SubdirPublisher.MAX_RETIRED_SHARDS + 5;
    for (int i = 0; i < count; i++) {
      many.put("hash-" + i, new SubdirIndex.RetiredShard(bytes, T0 + i));
    }
    SubdirIndex previous = new SubdirIndex(0, Map.of(), Map.of(), Map.of(), many, Map.of());

    Map<String, SubdirIndex.RetiredShard> kept = SubdirPublisher.retire(previous, Map.of(), T0 + count);

    assertThat(kept).hasSize(SubdirPublisher.MAX_RETIRED_SHARDS)
        .doesNotContainKeys("hash-0", "hash-4")
        .containsKeys("hash-5", "hash-" + (count - 1));
  }
}
