package io.wharf.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.auth.Principal;
import io.wharf.server.error.WharfException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

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
