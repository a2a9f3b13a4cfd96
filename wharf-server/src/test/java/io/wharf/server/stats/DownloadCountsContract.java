package io.wharf.server.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.server.db.Database;
import io.wharf.server.error.WharfException;
import io.wharf.server.testing.MutableClock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Stored download counts and their totals, run once per engine. Each test uses its own channel id. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DownloadCountsContract {
  private static final LocalDate DAY = LocalDate.parse("2026-04-01");

  private Supplier<Database> opener;
  private Database db;
  private JdbcDownloadCounts counts;
  private DownloadTotals totals;

  protected abstract Supplier<Database> database();

  @BeforeAll
  void open() {
    opener = database();
    db = opener.get();
    counts = new JdbcDownloadCounts(db);
    totals = new DownloadTotals(db);
  }

  @AfterAll
  void close() {
    db.close();
  }

  private static DownloadKey key(long channel, String label, String subdir, String file, LocalDate day) {
    return new DownloadKey(channel, label, subdir, file, day.toEpochDay());
  }

  @Test
  void aBatchAddsToTheStoredCountsInsteadOfReplacingThem() {
    DownloadKey k = key(101, "main", "noarch", "tool-1.0-0.conda", DAY);
    counts.add(Map.of(k, 3L));
    counts.add(Map.of(k, 4L));

    assertThat(totals.forPackage(101, "tool")).isEqualTo(7);
  }

  @Test
  void totalsPerPackageVersionFileAndDay() {
    long c = 102;
    counts.add(Map.of(
        key(c, "main", "linux-64", "numpy-1.26.0-py311_0.conda", DAY), 5L,
        key(c, "main", "linux-64", "numpy-1.26.0-py311_0.conda", DAY.plusDays(2)), 1L,
        key(c, "main", "osx-arm64", "numpy-1.26.0-py311_0.conda", DAY), 2L,
        key(c, "dev", "linux-64", "numpy-2.0.0-py311_0.tar.bz2", DAY.plusDays(1)), 4L,
        key(c, "main", "linux-64", "numpy-base-1.26.0-py311_0.conda", DAY), 100L,
        key(c + 1, "main", "linux-64", "numpy-1.26.0-py311_0.conda", DAY), 1000L));

    assertThat(totals.forPackage(c, "numpy")).isEqualTo(12);
    assertThat(totals.byVersion(c, "numpy", List.of("2.0.0", "1.26.0", "0.9"))).containsExactly(
        Map.entry("2.0.0", 4L), Map.entry("1.26.0", 8L), Map.entry("0.9", 0L));
    DownloadTotals.FileRef linux = new DownloadTotals.FileRef("main", "linux-64", "numpy-1.26.0-py311_0.conda");
    DownloadTotals.FileRef dev = new DownloadTotals.FileRef("dev", "linux-64", "numpy-2.0.0-py311_0.tar.bz2");
    DownloadTotals.FileRef never = new DownloadTotals.FileRef("main", "win-64", "numpy-1.26.0-py311_0.conda");
    assertThat(totals.forFiles(c, List.of(linux, dev, never))).containsOnly(
        Map.entry(linux, 6L), Map.entry(dev, 4L), Map.entry(never, 0L));
    assertThat(totals.daily(c, "numpy", DAY.minusDays(1), DAY.plusDays(3))).containsExactly(
        new DownloadTotals.Day(DAY.minusDays(1), 0), new DownloadTotals.Day(DAY, 7),
        new DownloadTotals.Day(DAY.plusDays(1), 4), new DownloadTotals.Day(DAY.plusDays(2), 1),
        new DownloadTotals.Day(DAY.plusDays(3), 0));
  }

  @Test
  void manyFilesAreLookedUpInChunks() {
    long c = 103;
    List<DownloadTotals.FileRef> refs = new ArrayList<>();
    Map<DownloadKey, Long> batch = new java.util.TreeMap<>();
    for (int i = 0; i < 1_200; i++) {
      String file = "p" + i + "-1.0-0.conda";
      refs.add(new DownloadTotals.FileRef("main", "noarch", file));
      batch.put(key(c, "main", "noarch", file, DAY), (long) i);
    }
    counts.add(batch);

    Map<DownloadTotals.FileRef, Long> found = totals.forFiles(c, refs);

    assertThat(found).hasSize(1_200);
    assertThat(found.get(refs.get(1_199))).isEqualTo(1_199);
    assertThat(found.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1_199L * 1_200 / 2);
  }

  @Test
  void twoNodesFlushingTheSameFilesAtOnceAddUpExactly() throws Exception {
    long c = 104;
    int nodes = 2;
    int threadsPerNode = 4;
    int each = 2_000;
    List<Database> dbs = new ArrayList<>();
    List<DownloadCounter> counters = new ArrayList<>();
    for (int n = 0; n < nodes; n++) {
      Database nodeDb = opener.get();
      dbs.add(nodeDb);
      counters.add(DownloadCounter.start(new JdbcDownloadCounts(nodeDb),
          new MutableClock(Instant.parse("2026-04-01T10:00:00Z")), 5));
    }
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (DownloadCounter counter : counters) {
      for (int t = 0; t < threadsPerNode; t++) {
        threads.add(new Thread(() -> {
          try {
            start.await();
          } catch (InterruptedException e) {
            return;
          }
          for (int i = 0; i < each; i++) {
            counter.completed(c, "main", "noarch", "shared-" + (i % 3) + "-0.conda");
          }
        }));
      }
    }
    threads.forEach(Thread::start);
    start.countDown();
    for (Thread t : threads) {
      t.join();
    }
    counters.forEach(DownloadCounter::close);
    dbs.forEach(Database::close);

    long expected = (long) nodes * threadsPerNode * each;
    assertThat(totals.forPackage(c, "shared")).isEqualTo(expected);
    assertThat(totals.byVersion(c, "shared")).containsOnlyKeys("0", "1", "2");
  }

  @Test
  void removingAChannelForgetsItsCounts() {
    counts.add(Map.of(key(105, "main", "noarch", "gone-1-0.conda", DAY), 2L,
        key(106, "main", "noarch", "gone-1-0.conda", DAY), 3L));

    counts.deleteChannel(105);

    assertThat(totals.forPackage(105, "gone")).isZero();
    assertThat(totals.forPackage(106, "gone")).isEqualTo(3);
  }

  @Test
  void aDailySeriesMustRunForwardsAndStayWithinTenYears() {
    assertThatThrownBy(() -> totals.daily(1, "x", DAY, DAY.minusDays(1))).isInstanceOf(WharfException.class)
        .hasMessageContaining("must not be after");
    assertThatThrownBy(() -> totals.daily(1, "x", DAY, DAY.plusDays(DownloadTotals.MAX_DAYS)))
        .isInstanceOf(WharfException.class).hasMessageContaining("at most");
    assertThat(totals.daily(1, "x", DAY, DAY.plusDays(DownloadTotals.MAX_DAYS - 1))).hasSize(DownloadTotals.MAX_DAYS);
  }
}
