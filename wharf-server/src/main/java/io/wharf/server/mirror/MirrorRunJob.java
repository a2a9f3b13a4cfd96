package io.wharf.server.mirror;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.server.error.WharfException;
import io.wharf.server.jobs.JobContext;
import io.wharf.server.jobs.JobHandler;
import io.wharf.server.jobs.LeaseLostException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * A mirror run as a background job. Counters of the current attempt: {@code files} written of
 * {@code files_total} to write (summed over the subdirs read so far), {@code errors}, {@code removed},
 * {@code downloaded_bytes}, and {@code excluded} by the mirror's policy with one {@code excluded_<filter>}
 * counter per filter that kept something out; the phase names the subdir being read. A job taken over after its node stopped
 * runs the mirror again, which resumes after the files already written ({@link MirrorRun}). The result is
 * the run as its history shows it; a run that failed (upstream gone) fails the job with its message.
 */
public final class MirrorRunJob implements JobHandler {
  public static final String KIND = "mirror-run";

  private static final java.time.Duration WAIT_FOR_EARLIER = java.time.Duration.ofSeconds(60);
  private final MirrorService mirrors;
  private final LongConsumer awaitPublished;

  /**
   * {@code awaitPublished} waits until this node publishes the change-log entry given and has indexed the
   * run's batches for search (read-your-writes).
   */
  public MirrorRunJob(MirrorService mirrors, LongConsumer awaitPublished) {
    this.mirrors = mirrors;
    this.awaitPublished = awaitPublished;
  }

  @Override
  public String kind() {
    return KIND;
  }

  /** Parameters of a run of {@code mirror}. */
  public static ObjectNode params(Mirror mirror) {
    return JsonNodeFactory.instance.objectNode().put("mirror", mirror.name()).put("mirror_id", mirror.id());
  }

  /** The key that keeps one queued or running run per mirror, across nodes. */
  public static String singletonKey(Mirror mirror) {
    return KIND + ":" + mirror.id();
  }

  @Override
  public Map<String, Object> run(JobContext job) {
    long mirrorId = job.params().path("mirror_id").asLong();
    Mirror mirror = mirrors.byId(mirrorId).orElseThrow(() -> WharfException.notFound("mirror_not_found",
        "mirror " + job.params().path("mirror").asText() + " was deleted before it ran"));
    for (String counter : new String[] {"files", "files_total", "errors", "removed", "downloaded_bytes",
        "excluded"}) {
      job.set(counter, 0);
    }
    AtomicLong lastSeq = new AtomicLong();
    MirrorRunView done = runOnce(job, mirror, new MirrorProgress() {
      @Override
      public void subdir(String subdir, int records, int todo, boolean unchanged) {
        job.phase("subdir " + subdir);
        job.add("files_total", todo);
      }

      @Override
      public void file(String subdir, String filename, String outcome, long bytes, String message) {
        try {
          switch (outcome) {
            case "failed" -> job.add("errors", 1);
            case "removed" -> job.add("removed", 1);
            case "excluded" -> { } // counted by filter below
            default -> job.add("files", 1);
          }
          job.add("downloaded_bytes", bytes);
        } catch (LeaseLostException lost) {
          // Called between a batch's commit and its bookkeeping: stopping here would leave committed rows
          // unnoted, so the next attempt would fetch them again. The run stops at the next subdir instead.
        }
      }

      @Override
      public void excluded(String filter) {
        job.add("excluded", 1);
        job.add("excluded_" + filter, 1);
      }

      @Override
      public void written(long seq) {
        lastSeq.accumulateAndGet(seq, Math::max);
      }
    });
    job.check(); // a run cut short because this node lost the job is not this node's outcome to record
    if (done.status().equals("failed")) {
      throw new WharfException(WharfException.Kind.BAD_GATEWAY, "mirror_failed",
          "mirror " + mirror.name() + " failed: " + done.message(), Map.of("run", done.id()));
    }
    job.phase("publishing");
    // Read-your-writes, as for an import: once the job is done, this node serves what the run wrote.
    awaitPublished.accept(lastSeq.get());
    job.phase("done");
    return view(done);
  }

  /**
   * Runs the mirror for this job. Only this job runs the mirror across nodes (its singleton key), but an
   * earlier attempt of it on this node may still be stopping after losing its lease: wait for it.
   */
  private MirrorRunView runOnce(JobContext job, Mirror mirror, MirrorProgress progress) {
    long end = System.nanoTime() + WAIT_FOR_EARLIER.toNanos();
    while (true) {
      try {
        return mirrors.run(mirror, progress, job.id());
      } catch (WharfException e) {
        if (!e.code().equals("mirror_running") || System.nanoTime() > end) {
          throw e;
        }
      }
      job.check();
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw WharfException.conflict("mirror_running", "interrupted while waiting for an earlier attempt");
      }
    }
  }

  /** A run as the API shows it. */
  public static Map<String, Object> view(MirrorRunView r) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("id", r.id());
    v.put("job_id", r.jobId());
    v.put("started_at", r.startedAt().toString());
    v.put("finished_at", r.finishedAt() == null ? null : r.finishedAt().toString());
    v.put("status", r.status());
    v.put("files", r.files());
    v.put("bytes", r.bytes());
    v.put("errors", r.errors());
    v.put("removed", r.removed());
    v.put("excluded", r.excludedTotal());
    v.put("excluded_by", r.excluded());
    v.put("message", r.message());
    return v;
  }
}
