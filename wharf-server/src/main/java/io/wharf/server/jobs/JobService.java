package io.wharf.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.auth.Principal;
import io.wharf.server.db.DuplicateKeyException;
import io.wharf.server.error.WharfException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Queues jobs and shows them: administrators see every job, anyone else the jobs they created. A job one
 * may not see answers like a missing one.
 */
public final class JobService {
  private final JdbcJobs store;
  private final JobRunner runner;
  private final Clock clock;
  private final Path spoolDir;
  private final long maxInputBytes;

  public JobService(JdbcJobs store, JobRunner runner, Clock clock, Path spoolDir, long maxInputBytes) {
    this.store = store;
    this.runner = runner;
    this.clock = clock;
    this.spoolDir = spoolDir;
    this.maxInputBytes = maxInputBytes;
  }

  /** A job's input spooled to a local file, so that the database write does not wait for a slow client. */
  public static final class Input implements AutoCloseable {
    private final Path file;
    private final long size;

    private Input(Path file, long size) {
      this.file = file;
      this.size = size;
    }

    public long size() {
      return size;
    }

    @Override
    public void close() throws IOException {
      Files.deleteIfExists(file);
    }
  }

  /** Reads {@code body} to a spool file, refusing more than the upload limit. */
  public Input spool(InputStream body) throws IOException {
    Files.createDirectories(spoolDir);
    Path file = Files.createTempFile(spoolDir, "job-input-", ".part");
    try (OutputStream out = Files.newOutputStream(file)) {
      byte[] buf = new byte[64 * 1024];
      long total = 0;
      for (int n; (n = body.read(buf)) > 0; ) {
        total += n;
        if (total > maxInputBytes) {
          throw WharfException.tooLarge("the data is larger than the " + maxInputBytes + " bytes accepted",
              maxInputBytes);
        }
        out.write(buf, 0, n);
      }
      return new Input(file, total);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(file);
      throw e;
    }
  }

  /** Queues a job with its input (null for none), stored in the database for whichever node runs it. */
  public Job submit(String kind, JsonNode params, Principal creator, Input input) throws IOException {
    long id;
    if (input == null) {
      id = store.insert(kind, params, creator.displayName(), creator.userId().orElse(null), clock.millis(), null);
    } else {
      try (InputStream in = Files.newInputStream(input.file)) {
        id = store.insert(kind, params, creator.displayName(), creator.userId().orElse(null), clock.millis(), in);
      }
    }
    runner.wake();
    return store.find(id).orElseThrow();
  }

  /**
   * Queues a job unless another queued or running job holds {@code singletonKey} (one mirror run at a time,
   * across nodes: a unique index decides); then that job is returned instead, with {@code queued} false.
   */
  public Submitted submitOnce(String kind, JsonNode params, Principal creator, String singletonKey) {
    return submitOnce(kind, params, creator.displayName(), creator.userId().orElse(null), singletonKey);
  }

  /** As above for work the server queues itself (a schedule): {@code createdBy} names it, no user. */
  public Submitted submitOnce(String kind, JsonNode params, String createdBy, Long creatorId, String singletonKey) {
    for (int tries = 0; ; tries++) {
      try {
        long id = store.insert(kind, params, createdBy, creatorId, clock.millis(), null, singletonKey);
        runner.wake();
        return new Submitted(store.find(id).orElseThrow(), true);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      } catch (RuntimeException e) {
        if (!DuplicateKeyException.isUniqueViolation(e)) {
          throw e;
        }
        Optional<Job> holder = store.holder(singletonKey);
        if (holder.isPresent()) {
          return new Submitted(holder.get(), false);
        }
        if (tries == 2) { // the holder finished between the insert and the look-up, three times over
          throw e;
        }
      }
    }
  }

  /** The queued or running job holding {@code singletonKey}, if any. */
  public Optional<Job> holder(String singletonKey) {
    return store.holder(singletonKey);
  }

  /** A job {@link #submitOnce} queued, or the one already queued or running in its place. */
  public record Submitted(Job job, boolean queued) {}

  public Job find(long id, Principal viewer) {
    return store.find(id).filter(j -> viewer.isAdmin() || j.createdBy(viewer.userId()))
        .orElseThrow(() -> WharfException.notFound("no_such_job", "no job " + id));
  }

  /** One page, newest first, of the jobs {@code viewer} may see, after the job {@code beforeId} when given. */
  public List<Job> page(Principal viewer, Long beforeId, int limit) {
    if (!viewer.isAdmin() && viewer.userId().isEmpty()) {
      return List.of();
    }
    return store.page(viewer.isAdmin() ? null : viewer.userId().get(), beforeId, limit);
  }
}
