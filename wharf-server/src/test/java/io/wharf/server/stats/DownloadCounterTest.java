package io.wharf.server.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.server.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The in-memory side of download counting: nothing lost to threads, flushes, refused batches or shutdown. */
class DownloadCounterTest {
  private static final long HOUR = 3_600_000L;

  /** What a database would hold: every batch added to the totals. */
  static final class SummingSink implements DownloadCounter.Sink {
    final Map<DownloadKey, Long> totals = new ConcurrentHashMap<>();
    final AtomicInteger batches = new AtomicInteger();
    volatile boolean refuse;

    @Override
    public void add(Map<DownloadKey, Long> counts) {
      if (refuse) {
        throw new IllegalStateException("database unavailable");
      }
      batches.incrementAndGet();
      counts.forEach((k, n) -> totals.merge(k, n, Long::sum));
    }

    long total() {
      return totals.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  @Test
  void manyThreadsCountingWhileFlushesRunLoseNoDownload() throws Exception {
    SummingSink sink = new SummingSink();
    DownloadCounter counter = DownloadCounter.start(sink, new MutableClock(Instant.parse("2026-03-01T12:00:00Z")),
        60_000);
    int threads = 16;
    int each = 20_000;
    CountDownLatch start = new CountDownLatch(1);
    AtomicBoolean counting = new AtomicBoolean(true);
    Thread flusher = new Thread(() -> {
      while (counting.get()) {
        counter.flush(); // as often as possible, racing the increments
      }
    });
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      workers.add(new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < each; i++) {
          // half the threads share one hot file, the rest spread over a few
          String file = id % 2 == 0 ? "hot-1.0-0.conda" : "cold-" + (i % 7) + ".0-0.conda";
          counter.completed(1, "main", "noarch", file);
        }
      }));
    }
    workers.forEach(Thread::start);
    flusher.start();
    start.countDown();
    for (Thread w : workers) {
      w.join();
    }
    counting.set(false);
    flusher.join();
    counter.close();

    assertThat(sink.total()).isEqualTo((long) threads * each);
    long day = LocalDate.parse("2026-03-01").toEpochDay();
    assertThat(sink.totals.get(new DownloadKey(1, "main", "noarch", "hot-1.0-0.conda", day)))
        .isEqualTo((long) threads / 2 * each);
    assertThat(sink.batches.get()).as("the counts went out in several batches").isGreaterThan(1);
  }

  @Test
  void closeWritesTheCountsStillInMemory() {
    SummingSink sink = new SummingSink();
    DownloadCounter counter = DownloadCounter.start(sink, new MutableClock(Instant.EPOCH), 60_000);
    counter.completed(7, "main", "linux-64", "zlib-1.3-0.conda");
    counter.completed(7, "main", "linux-64", "zlib-1.3-0.conda");
    counter.completed(7, "dev", "linux-64", "zlib-1.3-0.conda");
    assertThat(sink.total()).as("nothing written before the interval or shutdown").isZero();

    counter.close();

    assertThat(sink.totals).containsOnly(
        Map.entry(new DownloadKey(7, "main", "linux-64", "zlib-1.3-0.conda", 0), 2L),
        Map.entry(new DownloadKey(7, "dev", "linux-64", "zlib-1.3-0.conda", 0), 1L));
  }

  @Test
  void theTimerWritesCountsWithinTheInterval() throws Exception {
    SummingSink sink = new SummingSink();
    DownloadCounter counter = DownloadCounter.start(sink, new MutableClock(Instant.EPOCH), 50);
    try {
      counter.completed(1, "main", "noarch", "a-1-0.conda");
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (sink.total() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(sink.total()).isEqualTo(1);
    } finally {
      counter.close();
    }
  }

  @Test
  void aBatchTheDatabaseRefusesIsKeptForTheNextFlush() {
    SummingSink sink = new SummingSink();
    DownloadCounter counter = DownloadCounter.start(sink, new MutableClock(Instant.EPOCH), 60_000);
    counter.completed(1, "main", "noarch", "a-1-0.conda");
    sink.refuse = true;
    assertThatThrownBy(counter::flush).hasMessageContaining("database unavailable");
    counter.completed(1, "main", "noarch", "a-1-0.conda");

    sink.refuse = false;
    assertThat(counter.flush()).isEqualTo(2);
    counter.close();

    assertThat(sink.totals).containsOnly(Map.entry(new DownloadKey(1, "main", "noarch", "a-1-0.conda", 0), 2L));
  }

  @Test
  void downloadsFallIntoTheirUtcDay() {
    SummingSink sink = new SummingSink();
    MutableClock clock = new MutableClock(Instant.parse("2026-05-10T23:59:59Z"));
    DownloadCounter counter = DownloadCounter.start(sink, clock, 60_000);
    counter.completed(1, "main", "noarch", "a-1-0.conda");
    clock.advance(Duration.ofSeconds(1));
    counter.completed(1, "main", "noarch", "a-1-0.conda");
    clock.advance(Duration.ofMillis(HOUR));
    counter.completed(1, "main", "noarch", "a-1-0.conda");
    counter.close();

    long may10 = LocalDate.parse("2026-05-10").toEpochDay();
    assertThat(sink.totals).containsOnly(
        Map.entry(new DownloadKey(1, "main", "noarch", "a-1-0.conda", may10), 1L),
        Map.entry(new DownloadKey(1, "main", "noarch", "a-1-0.conda", may10 + 1), 2L));
  }

  @Test
  void aCounterThatIsOffCountsNothing() {
    DownloadCounter counter = DownloadCounter.off();
    counter.completed(1, "main", "noarch", "a-1-0.conda");

    assertThat(counter.enabled()).isFalse();
    assertThat(counter.flush()).isZero();
    counter.close();
  }
}
