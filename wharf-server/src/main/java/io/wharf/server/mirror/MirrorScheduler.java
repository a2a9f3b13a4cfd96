package io.wharf.server.mirror;

import io.wharf.server.jobs.JobService;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queues the runs of mirrors on a schedule. Every node runs one; when a mirror is due, the node whose
 * conditional UPDATE moves its next run on ({@link MirrorService#claimScheduled}) queues the run, and the
 * run's singleton key keeps it to one queued or running run per mirror (a run asked for by hand meanwhile
 * stands for the scheduled one). A node that stops between the two loses that one run; the next is due a
 * period later.
 */
public final class MirrorScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MirrorScheduler.class);
  /** Who the history and the job list say queued a scheduled run. */
  public static final String CREATED_BY = "mirror schedule";

  private final MirrorService mirrors;
  private final JobService jobs;
  private final Clock clock;
  private final long checkMillis;
  private Thread thread;

  public MirrorScheduler(MirrorService mirrors, JobService jobs, Clock clock, long checkMillis) {
    this.mirrors = mirrors;
    this.jobs = jobs;
    this.clock = clock;
    this.checkMillis = checkMillis;
  }

  /** Queues the runs due now; returns how many this node queued. */
  public int tick() {
    long now = clock.millis();
    int queued = 0;
    for (Mirror m : mirrors.due(now)) {
      if (mirrors.claimScheduled(m, now)
          && jobs.submitOnce(MirrorRunJob.KIND, MirrorRunJob.params(m), CREATED_BY, null,
              MirrorRunJob.singletonKey(m)).queued()) {
        queued++;
      }
    }
    return queued;
  }

  public synchronized MirrorScheduler start() {
    thread = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          tick();
        } catch (RuntimeException e) {
          LOG.warn("mirror schedule check failed: {}", e.getMessage());
        }
        try {
          Thread.sleep(checkMillis);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "wharf-mirror-schedule");
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  @Override
  public synchronized void close() {
    if (thread != null) {
      thread.interrupt();
    }
  }
}
