package io.wharf.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.wharf.server.config.Operations;
import io.wharf.server.metrics.WharfMetrics;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The access log is written by its own thread, so that a request (possibly on Jetty's selector thread)
 * never waits for a disk or a pipe: a line that finds the queue full is dropped and counted.
 */
class AccessLogQueueTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  /** A file that stalls on its first write until released, as a full or hung disk would. */
  private static final class StalledWriter extends StringWriter {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public void write(String s) {
      entered.countDown();
      try {
        release.await(DEADLINE.toSeconds(), TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      super.write(s);
    }
  }

  private static AccessLog.Entry entry(int i) {
    return new AccessLog.Entry("10.0.0.1", Instant.EPOCH, "GET", "/conda/pub/noarch/repodata.json?n=" + i,
        "HTTP/1.1", 304, 0, null, "conda/24.1", "/conda/<path>", 12);
  }

  @Test
  void aStalledLogDropsAndCountsLinesInsteadOfMakingRequestsWait() throws Exception {
    StalledWriter out = new StalledWriter();
    AccessLog log = new AccessLog(out, false, Operations.AccessLogFormat.COMBINED, 4);
    WharfMetrics metrics = new WharfMetrics();
    metrics.accessLogDropped(log::dropped);
    log.write(entry(0));
    assertThat(out.entered.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue(); // the writer is stuck
    // 4 lines fit in the queue, the 5 after them are dropped; none of these calls may wait for the writer
    assertTimeoutPreemptively(DEADLINE, () -> {
      for (int i = 1; i <= 9; i++) {
        log.write(entry(i));
      }
    });
    assertThat(log.dropped()).isEqualTo(5);
    assertThat(metrics.scrape()).contains("wharf_access_log_dropped_total 5.0");
    out.release.countDown();
    log.close();
    String[] lines = out.toString().split("\n");
    assertThat(lines).hasSize(5);
    for (int i = 0; i < 5; i++) {
      assertThat(lines[i]).isEqualTo(AccessLog.combined(entry(i)));
    }
  }

  @Test
  void closingWritesEveryQueuedLineAndLaterLinesAreCountedAsDropped() throws IOException {
    StringWriter out = new StringWriter();
    AccessLog log = new AccessLog(out, false, Operations.AccessLogFormat.JSON, AccessLog.QUEUE);
    for (int i = 0; i < 1000; i++) {
      log.write(entry(i));
    }
    log.close();
    String[] lines = out.toString().split("\n");
    assertThat(lines).hasSize(1000);
    assertThat(lines[999]).isEqualTo(AccessLog.json(entry(999)));
    log.write(entry(1000));
    assertThat(log.dropped()).isEqualTo(1);
  }
}
