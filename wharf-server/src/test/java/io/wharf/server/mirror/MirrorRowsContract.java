package io.wharf.server.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.channel.JdbcChannelRepository;
import io.wharf.server.channel.Privacy;
import io.wharf.server.db.Database;
import io.wharf.server.db.DigestIndexes;
import io.wharf.server.db.QueryPlans;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The rows a mirror run writes in batches (records it wrote, passive sources), once per database engine. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MirrorRowsContract {
  private Database db;
  private JdbcMirrors mirrors;
  private long mirror;

  /** A supplier that opens the same, initially empty database on every call. */
  protected abstract Supplier<Database> database();

  @BeforeAll
  void open() {
    db = database().get();
    mirrors = new JdbcMirrors(db);
  }

  @AfterAll
  void close() {
    db.close();
  }

  @BeforeEach
  void freshMirror() {
    db.jdbi().useHandle(h -> {
      h.execute("DELETE FROM mirrors");
      h.execute("DELETE FROM channels");
    });
    long channel = new JdbcChannelRepository(db).create("mirrored", "", Privacy.PUBLIC).id();
    mirror = mirrors.create("upstream", channel, "main", "https://conda.example.org/upstream", MirrorMode.PASSIVE,
        List.of("noarch", "linux-64"), false, null, 1_000L, null, MirrorRecords.PATCHED);
  }

  @Test
  void aBatchOfWrittenRecordsIsReadBackColumnForColumnWithAbsentSignaturesAndDigestsNull() {
    mirrors.putRecords(mirror, List.of(
        new JdbcMirrors.Written("noarch", "a-1.0-0.conda", "r".repeat(64), "s".repeat(64), null, null),
        new JdbcMirrors.Written("noarch", "b-1.0-0.conda", "t".repeat(64), "u".repeat(64),
            "{\"k\":{\"signature\":\"00\"}}", "v".repeat(64)),
        new JdbcMirrors.Written("linux-64", "a-1.0-0.conda", "w".repeat(64), "x".repeat(64), null, "y".repeat(64))));

    assertThat(mirrors.records(mirror, "noarch")).isEqualTo(Map.of(
        "a-1.0-0.conda", new JdbcMirrors.Known("r".repeat(64), "s".repeat(64), null),
        "b-1.0-0.conda", new JdbcMirrors.Known("t".repeat(64), "u".repeat(64), "v".repeat(64))));
    assertThat(mirrors.records(mirror, "linux-64")).isEqualTo(Map.of(
        "a-1.0-0.conda", new JdbcMirrors.Known("w".repeat(64), "x".repeat(64), "y".repeat(64))));
    assertThat(mirrors.signatures(mirror, "noarch", "a-1.0-0.conda")).isEmpty();
    assertThat(mirrors.signatures(mirror, "noarch", "b-1.0-0.conda")).contains("{\"k\":{\"signature\":\"00\"}}");
  }

  @Test
  void theKnownRecordsOfASubdirCarryTheirRawDigestsAndOnlyThatSubdirs() {
    String raw = "0123456789abcdef".repeat(4);
    mirrors.putRecords(mirror, List.of(
        new JdbcMirrors.Written("noarch", "a-1.0-0.conda", "r".repeat(64), "s".repeat(64), null, raw),
        new JdbcMirrors.Written("noarch", "b-1.0-0.conda", "t".repeat(64), "u".repeat(64), null, null),
        new JdbcMirrors.Written("linux-64", "c-1.0-0.conda", "w".repeat(64), "x".repeat(64), null, raw)));

    KnownRecords known = mirrors.known(mirror, "noarch");
    assertThat(known.size()).isEqualTo(2);
    int a = known.find("a-1.0-0.conda");
    assertThat(a).isNotNegative();
    assertThat(known.unchanged(a, java.util.HexFormat.of().parseHex(raw))).isTrue();
    assertThat(known.unchanged(known.find("b-1.0-0.conda"), java.util.HexFormat.of().parseHex(raw))).isFalse();
    assertThat(known.find("c-1.0-0.conda")).isEqualTo(-1);
  }

  @Test
  void aLaterBatchReplacesTheRecordsItNamesAndKeepsTheOthers() {
    mirrors.putRecords(mirror, List.of(
        new JdbcMirrors.Written("noarch", "a-1.0-0.conda", "r".repeat(64), "s".repeat(64), "{}", "v".repeat(64)),
        new JdbcMirrors.Written("noarch", "b-1.0-0.conda", "t".repeat(64), "u".repeat(64), null, null)));

    mirrors.putRecords(mirror, List.of(
        new JdbcMirrors.Written("noarch", "a-1.0-0.conda", "1".repeat(64), "2".repeat(64), null, null)));

    assertThat(mirrors.records(mirror, "noarch")).isEqualTo(Map.of(
        "a-1.0-0.conda", new JdbcMirrors.Known("1".repeat(64), "2".repeat(64), null),
        "b-1.0-0.conda", new JdbcMirrors.Known("t".repeat(64), "u".repeat(64), null)));
    assertThat(mirrors.signatures(mirror, "noarch", "a-1.0-0.conda")).as("replaced by none").isEmpty();
  }

  @Test
  void aBatchNamingAFileTwiceKeepsTheLaterRecordAsSeparateWritesWould() {
    mirrors.putRecords(mirror, List.of(
        new JdbcMirrors.Written("noarch", "a-1.0-0.conda", "r".repeat(64), "s".repeat(64), "{}", null),
        new JdbcMirrors.Written("noarch", "a-1.0-0.conda", "1".repeat(64), "2".repeat(64), null, "3".repeat(64)),
        new JdbcMirrors.Written("noarch", "b-1.0-0.conda", "t".repeat(64), "u".repeat(64), null, null)));

    assertThat(mirrors.records(mirror, "noarch")).isEqualTo(Map.of(
        "a-1.0-0.conda", new JdbcMirrors.Known("1".repeat(64), "2".repeat(64), "3".repeat(64)),
        "b-1.0-0.conda", new JdbcMirrors.Known("t".repeat(64), "u".repeat(64), null)));
  }

  @Test
  void aBatchListingEqualBytesTwiceKeepsTheLaterSource() {
    String a = "a".repeat(64);
    mirrors.addPassives(mirror, List.of(
        new JdbcMirrors.PassiveSource(a, mirror, "https://conda.example.org/upstream/noarch/a-1.0-0.conda", 10),
        new JdbcMirrors.PassiveSource(a, mirror, "https://conda.example.org/upstream/noarch/a-copy-1.0-0.conda", 10)));

    assertThat(mirrors.passiveSources(a)).containsExactly(
        new JdbcMirrors.PassiveSource(a, mirror, "https://conda.example.org/upstream/noarch/a-copy-1.0-0.conda", 10));
  }

  @Test
  void digestsWhoseIndexedTagsAgreeAreToldApartAndFoundThroughThatIndex() {
    String a = "abcdef01" + "1".repeat(56);
    String b = "abcdef01" + "2".repeat(56);
    assertThat(DigestIndexes.SHA256.tagOf(b)).isEqualTo(DigestIndexes.SHA256.tagOf(a)).isEqualTo("abcdef01");
    mirrors.addPassives(mirror, List.of(
        new JdbcMirrors.PassiveSource(a, mirror, "https://conda.example.org/upstream/noarch/a-1.0-0.conda", 10)));

    assertThat(mirrors.passiveSources(b)).isEmpty();
    assertThat(mirrors.passiveAmong(List.of(a, b))).containsExactly(a);
    mirrors.removePassive(b);
    assertThat(mirrors.passiveAmong(List.of(a))).containsExactly(a);
    mirrors.addPassives(mirror, List.of(
        new JdbcMirrors.PassiveSource(b, mirror, "https://conda.example.org/upstream/noarch/b-1.0-0.conda", 20)));
    mirrors.removePassive(a);
    assertThat(mirrors.passiveAmong(List.of(a, b))).containsExactly(b);
    assertThat(mirrors.passiveSources(b)).containsExactly(
        new JdbcMirrors.PassiveSource(b, mirror, "https://conda.example.org/upstream/noarch/b-1.0-0.conda", 20));

    // the statements a run and a download issue per file take the tag's index, not a scan of every source
    assertThat(QueryPlans.of(db, JdbcMirrors.PASSIVE_SOURCES, Map.of("sha", a))).contains("passive_blobs_sha256_tag");
    assertThat(QueryPlans.of(db, JdbcMirrors.DROP_PASSIVE, List.of(a, a, mirror))).contains("passive_blobs_sha256_tag");
  }

  @Test
  void aBatchOfPassiveSourcesIsReadBackAndALaterOneMovesASourceToItsNewUrlAndSize() {
    String a = "a".repeat(64);
    String b = "b".repeat(64);
    mirrors.addPassives(mirror, List.of(
        new JdbcMirrors.PassiveSource(a, mirror, "https://conda.example.org/upstream/noarch/a-1.0-0.conda", 10),
        new JdbcMirrors.PassiveSource(b, mirror, "https://conda.example.org/upstream/noarch/b-1.0-0.conda",
            6_000_000_000L)));
    mirrors.addPassives(mirror, List.of(
        new JdbcMirrors.PassiveSource(a, mirror, "https://conda.example.org/upstream/linux-64/a-1.0-0.conda", 11)));

    assertThat(mirrors.passiveSources(a)).containsExactly(
        new JdbcMirrors.PassiveSource(a, mirror, "https://conda.example.org/upstream/linux-64/a-1.0-0.conda", 11));
    assertThat(mirrors.passiveSources(b)).containsExactly(
        new JdbcMirrors.PassiveSource(b, mirror, "https://conda.example.org/upstream/noarch/b-1.0-0.conda",
            6_000_000_000L));
    assertThat(mirrors.passiveAmong(List.of(a, b, "c".repeat(64)))).containsExactlyInAnyOrder(a, b);
  }
}
