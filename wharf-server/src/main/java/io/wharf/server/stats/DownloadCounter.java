package io.wharf.server.stats;

import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts completed package downloads in memory and adds them to the database in batches, every
 * {@code flushMillis} and when closed. The download path pays one map update; a crash loses at most the
 * counts of the last interval. Nothing is lost to concurrency: an increment and the flush's removal of a
 * key are each atomic on the map, so every increment lands either in the batch being written or in the
 * map for the next one. A batch the database refuses goes back into the map and is tried again.
 */
public final class DownloadCounter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DownloadCounter.class);

  /** Adds counts to the stored totals, all or nothing. */
  public interface Sink {
    void add(Map<DownloadKey, Long> counts);
  }

  private final ConcurrentHashMap<DownloadKey, Long> pending = new ConcurrentHashMap<>();
  private final Sink sink;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  private final Object flushing = new Object();

  private DownloadCounter(Sink sink, Clock clock, ScheduledExecutorService timer) {
    this.sink = sink;
    this.clock = clock;
    this.timer = timer;
  }

  /** A counter that counts nothing (counting turned off). */
  public static DownloadCounter off() {
    return new DownloadCounter(null, Clock.systemUTC(), null);
  }

  /** A counter whose own daemon thread flushes every {@code flushMillis}. */
  public static DownloadCounter start(Sink sink, Clock clock, long flushMillis) {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "wharf-download-counts");
      t.setDaemon(true);
      return t;
    });
    DownloadCounter counter = new DownloadCounter(sink, clock, timer);
    timer.scheduleWithFixedDelay(counter::flushQuietly, flushMillis, flushMillis, TimeUnit.MILLISECONDS);
    return counter;
  }

  public boolean enabled() {
    return sink != null;
  }

  /** One download of this file finished: its last byte was sent. */
  public void completed(long channelId, String label, String subdir, String filename) {
    if (sink == null) {
      return;
    }
    DownloadKey key = new DownloadKey(channelId, label, subdir, filename, DownloadKey.dayOf(clock.millis()));
    pending.merge(key, 1L, Long::sum);
  }

  /** Writes what has been counted so far; returns the number of downloads written. */
  public long flush() {
    if (sink == null) {
      return 0;
    }
    synchronized (flushing) {
      Map<DownloadKey, Long> batch = new TreeMap<>();
      for (DownloadKey k : pending.keySet()) {
        Long n = pending.remove(k);
        if (n != null) {
          // Summed, not put: the iteration is weakly consistent, so a key removed here and counted again
          // meanwhile may come up a second time in the same pass (seen while the table resizes).
          batch.merge(k, n, Long::sum);
        }
      }
      if (batch.isEmpty()) {
        return 0;
      }
      try {
        sink.add(batch);
      } catch (RuntimeException e) {
        batch.forEach((k, n) -> pending.merge(k, n, Long::sum));
        throw e;
      }
      return batch.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (RuntimeException e) {
      LOG.warn("download counts not stored yet, will try again: {}", e.getMessage());
    }
  }

  /** Stops the timer and writes the last counts. */
  @Override
  public void close() {
    if (sink == null) {
      return;
    }
    timer.shutdown();
    try {
      timer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      flush();
    } catch (RuntimeException e) {
      long lost = pending.values().stream().mapToLong(Long::longValue).sum();
      LOG.error("{} downloads could not be stored at shutdown: {}", lost, e.getMessage());
    }
  }
}
