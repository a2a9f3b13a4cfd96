package io.wharf.server.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.wharf.server.error.WharfException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The two stages of a run's subdir: what either side's end does to the other. */
class MirrorPipelineTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @Test
  void everyChunkIsWrittenInTheOrderItWasMadeReadyAndTheReadingThreadHasEndedOnReturn() throws Exception {
    AtomicReference<Thread> reading = new AtomicReference<>();
    List<Integer> written = new ArrayList<>();
    MirrorPipeline.<Integer>run("order", out -> {
      reading.set(Thread.currentThread());
      for (int i = 0; i < 100; i++) {
        out.put(i);
      }
    }, written::add);
    assertThat(written).hasSize(100).isSorted();
    assertThat(reading.get().getName()).isEqualTo("wharf-mirror-read-order");
    assertThat(reading.get()).isNotSameAs(Thread.currentThread());
    assertThat(reading.get().isAlive()).isFalse();
  }

  @Test
  void whatEndsTheReadingIsThrownOnTheWritingThreadAsItWasAfterTheChunksBeforeIt() {
    IOException broken = new IOException("the spool file went away");
    AtomicReference<Thread> reading = new AtomicReference<>();
    List<Integer> written = new ArrayList<>();
    assertThatThrownBy(() -> MirrorPipeline.<Integer>run("fails", out -> {
      reading.set(Thread.currentThread());
      out.put(1);
      out.put(2);
      throw broken;
    }, written::add)).isSameAs(broken);
    assertThat(written).containsExactly(1, 2);
    assertThat(reading.get().isAlive()).isFalse();

    WharfException invalid = Upstream.badGateway("upstream_invalid", "not JSON", "http://up/repodata.json");
    assertThatThrownBy(() -> MirrorPipeline.<Integer>run("invalid", out -> {
      throw invalid;
    }, written::add)).isSameAs(invalid);
  }

  @Test
  void whatEndsTheWritingStopsTheReadingWaitingForRoomAndTheRunReturnsOnlyOnceItEnded() {
    AtomicReference<Thread> reading = new AtomicReference<>();
    AtomicBoolean ended = new AtomicBoolean();
    WharfException lost = Upstream.badGateway("upstream_unreachable", "cannot connect", "http://up/a.conda");
    assertTimeoutPreemptively(DEADLINE, () -> assertThatThrownBy(() -> MirrorPipeline.<Integer>run("endless",
        out -> {
          reading.set(Thread.currentThread());
          try {
            for (int i = 0; ; i++) {
              out.put(i); // never ends unless stopped
            }
          } finally {
            lastStep();
            ended.set(true);
          }
        }, chunk -> {
          if (chunk == 3) {
            throw lost;
          }
        })).isSameAs(lost));
    assertThat(ended).as("the run waited for the reading's last step").isTrue();
    assertThat(reading.get().isAlive()).isFalse();
  }

  /** A step that does not heed the stop's interrupt (a database call, say) and takes a while. */
  private static void lastStep() {
    Thread.interrupted();
    try {
      new CountDownLatch(1).await(300, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void anInterruptOfTheWritingThreadStopsTheRunAndTheReadingThreadEvenWhenItIsBusyElsewhere() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    AtomicReference<Thread> reading = new AtomicReference<>();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
    Thread job = new Thread(() -> {
      try {
        MirrorPipeline.<Integer>run("interrupted", out -> {
          reading.set(Thread.currentThread());
          started.countDown();
          try {
            new CountDownLatch(1).await(); // a long step between two chunks, ended by the stop's interrupt
          } catch (InterruptedException e) {
            out.check();
          }
        }, chunk -> { });
      } catch (Throwable e) {
        thrown.set(e);
      }
      stillInterrupted.set(Thread.currentThread().isInterrupted());
    }, "job");
    job.setDaemon(true);
    job.start();
    assertThat(started.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    job.interrupt();
    job.join(DEADLINE.toMillis());
    assertThat(job.isAlive()).isFalse();
    assertThat(thrown.get()).isInstanceOf(WharfException.class);
    assertThat(((WharfException) thrown.get()).code()).isEqualTo("interrupted");
    assertThat(stillInterrupted.get()).as("the interrupt is kept for the job's caller").isTrue();
    assertThat(reading.get().isAlive()).isFalse();
  }
}
