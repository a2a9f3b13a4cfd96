package io.wharf.server.jobs;

import io.wharf.server.error.WharfException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs on this node. A poller claims a job whenever a worker is free (every {@code pollMillis}, and at
 * once when this node queues one); a heartbeat renews the lease of every running job and writes its progress
 * a few times per lease. A job whose lease cannot be renewed was taken over by another node and is told to
 * stop. On close, running jobs are given back (queued again) so another node continues them at once; a node
 * that dies instead leaves its leases to run out.
 */
public final class JobRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
  /** How often one job may be claimed before a node stopping under it counts as the job's fault. */
  static final int MAX_ATTEMPTS = 3;

  /** Lease and polling times; the heartbeat writes a third of the lease at most, and at least twice a second. */
  public record Timing(long leaseMillis, long pollMillis) {
    public static final Timing DEFAULT = new Timing(30_000, 1_000);

    long heartbeatMillis() {
      return Math.max(10, Math.min(leaseMillis / 3, 500));
    }
  }

  private final JdbcJobs store;
  private final Map<String, JobHandler> handlers = new LinkedHashMap<>();
  private final Clock clock;
  private final Timing timing;
  private final String node;
  private final Semaphore free;
  private final ExecutorService workers;
  private final Map<Long, Running> running = new ConcurrentHashMap<>();
  private final Object wake = new Object();
  private volatile boolean stopping;
  private Thread poller;
  private Thread heartbeat;

  private record Running(JdbcJobs.Lease lease, JobContext context) {}

  public JobRunner(JdbcJobs store, Clock clock, Timing timing, int threads) {
    this.store = store;
    this.clock = clock;
    this.timing = timing;
    this.node = "node-" + UUID.randomUUID().toString().substring(0, 8);
    this.free = new Semaphore(threads);
    this.workers = Executors.newFixedThreadPool(threads, r -> daemon(r, "wharf-job"));
  }

  /** Registers the work of one kind; only kinds registered here are claimed by this node. */
  public JobRunner handle(JobHandler handler) {
    handlers.put(handler.kind(), handler);
    return this;
  }

  public String node() {
    return node;
  }

  public synchronized JobRunner start() {
    poller = daemon(this::poll, "wharf-job-poller");
    heartbeat = daemon(this::beat, "wharf-job-heartbeat");
    poller.start();
    heartbeat.start();
    return this;
  }

  /** Looks for work now rather than at the next poll (a job was just queued here). */
  public void wake() {
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  private void poll() {
    while (!stopping) {
      try {
        if (free.tryAcquire(timing.pollMillis(), TimeUnit.MILLISECONDS)) {
          boolean claimed = false;
          try {
            claimed = claimOne();
          } finally {
            if (!claimed) {
              free.release();
            }
          }
          if (!claimed) {
            synchronized (wake) {
              wake.wait(timing.pollMillis());
            }
          }
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.warn("job poll failed: {}", e.getMessage());
        sleep(timing.pollMillis());
      }
    }
  }

  private boolean claimOne() {
    var lease = store.claim(handlers.keySet(), node, clock.millis(), timing.leaseMillis(), MAX_ATTEMPTS);
    if (lease.isEmpty() || stopping) {
      lease.ifPresent(l -> store.release(l, new JobContext.Snapshot(l.job().phase(), l.job().progress())));
      return false;
    }
    Job job = lease.get().job();
    JobContext context = new JobContext(job.id(), job.params(), job.progress(), job.phase(), store);
    Running entry = new Running(lease.get(), context);
    Running earlier = running.put(job.id(), entry);
    if (earlier != null) {
      earlier.context().lose(); // an earlier attempt on this node whose lease ran out: it must stop now
    }
    workers.execute(() -> {
      try {
        execute(lease.get(), context);
      } finally {
        // only this attempt's entry: a later attempt of the same job may have been claimed here meanwhile
        running.remove(job.id(), entry);
        free.release();
        wake();
      }
    });
    return true;
  }

  private void execute(JdbcJobs.Lease lease, JobContext context) {
    Job job = lease.job();
    JobHandler handler = handlers.get(job.kind());
    JobState state = JobState.SUCCEEDED;
    Map<String, Object> result = null;
    String code = null;
    String message = null;
    try {
      result = handler.run(context);
    } catch (LeaseLostException e) {
      if (stopping) {
        store.release(lease, context.snapshot()); // a no-op when the lease was really taken over
      } else {
        LOG.info("job {} ({}) was taken over by another node; this node stops working on it", job.id(), job.kind());
      }
      return;
    } catch (WharfException e) {
      state = JobState.FAILED;
      code = e.code();
      message = e.getMessage();
    } catch (Exception e) {
      if (stopping) {
        store.release(lease, context.snapshot()); // cut short by shutdown, not failed: another node goes on
        return;
      }
      state = JobState.FAILED;
      code = "job_failed";
      message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      LOG.warn("job {} ({}) failed", job.id(), job.kind(), e);
    }
    if (!store.finish(lease, state, context.snapshot(), result, code, message, clock.millis())) {
      LOG.info("job {} ({}) finished here after another node took it over; its outcome is that node's",
          job.id(), job.kind());
    }
  }

  private void beat() {
    while (!stopping) {
      sleep(timing.heartbeatMillis());
      for (Running r : running.values()) {
        if (r.context().lost()) {
          continue;
        }
        try {
          if (!store.renew(r.lease(), () -> clock.millis() + timing.leaseMillis(), r.context().snapshot())) {
            r.context().lose();
          }
        } catch (RuntimeException e) {
          LOG.warn("cannot renew the lease of job {}: {}", r.lease().job().id(), e.getMessage());
        }
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Stops claiming, stops the work, and gives running jobs back for another node (or the next start). */
  @Override
  public void close() {
    stopping = true;
    synchronized (this) {
      if (poller != null) {
        poller.interrupt();
        heartbeat.interrupt();
      }
    }
    for (Running r : running.values()) {
      r.context().lose();
    }
    workers.shutdownNow();
    try {
      workers.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Running r : running.values()) {
      try {
        store.release(r.lease(), r.context().snapshot());
      } catch (RuntimeException e) {
        LOG.warn("cannot give back job {}: {}", r.lease().job().id(), e.getMessage());
      }
    }
  }
}
