package io.wharf.server.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.server.db.Database;
import io.wharf.server.db.Dialect;
import java.io.IOException;
import java.io.InputStream;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@code jobs} and {@code job_inputs} tables. Every write by the node running a job names the lease it
 * holds (owner and attempt), so a node whose lease was taken over changes nothing.
 */
public final class JdbcJobs {
  /** Size of one stored input chunk: small enough for any driver to hold, large enough to be few rows. */
  static final int CHUNK_BYTES = 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String COLUMNS = "id, kind, params_json, state, created_by, creator_id, created_at, started_at,"
      + " finished_at, phase, progress_json, result_json, error_code, error_message, attempt, lease_owner, lease_until";

  private final Jdbi jdbi;
  private final Dialect dialect;

  public JdbcJobs(Database db) {
    this.jdbi = db.jdbi();
    this.dialect = db.dialect();
  }

  /** A claim of one job by one node: the attempt number fences it against later claims. */
  record Lease(Job job, String owner, int attempt) {}

  /** Stores a queued job with its input (may be null), in one transaction, so no node sees half an input. */
  long insert(String kind, JsonNode params, String createdBy, Long creatorId, long now, InputStream input)
      throws IOException {
    return insert(kind, params, createdBy, creatorId, now, input, null);
  }

  /**
   * As above, holding {@code singletonKey} (may be null): while this job is queued or running no other job
   * holding the key can be inserted (a unique violation, see {@link #holder}).
   */
  long insert(String kind, JsonNode params, String createdBy, Long creatorId, long now, InputStream input,
      String singletonKey) throws IOException {
    return jdbi.inTransaction(h -> {
        long id = h.createUpdate("INSERT INTO jobs (kind, params_json, state, created_by, creator_id, created_at,"
                + " progress_json, attempt, singleton_key)"
                + " VALUES (:kind, :params, 'queued', :by, :creator, :now, '{}', 0, :key)")
            .bind("kind", kind).bind("params", params.toString()).bind("by", createdBy).bind("creator", creatorId)
            .bind("now", now).bind("key", singletonKey).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        if (input != null) {
          int seq = 0;
          for (byte[] chunk; (chunk = input.readNBytes(CHUNK_BYTES)).length > 0; ) {
            h.createUpdate("INSERT INTO job_inputs (job_id, seq, data) VALUES (:id, :seq, :data)")
                .bind("id", id).bind("seq", seq++).bind("data", chunk).execute();
          }
        }
        return id;
      });
  }

  Optional<Job> find(long id) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM jobs WHERE id = :id").bind("id", id)
        .map((rs, c) -> job(rs)).findOne());
  }

  /** The queued or running job holding {@code singletonKey}, if any. */
  Optional<Job> holder(String singletonKey) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM jobs WHERE singleton_key = :key"
            + " AND state IN ('queued', 'running')").bind("key", singletonKey).map((rs, c) -> job(rs)).findOne());
  }

  /** Newest first, below {@code beforeId} when given; only {@code creatorId}'s jobs when given. */
  List<Job> page(Long creatorId, Long beforeId, int limit) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM jobs WHERE 1 = 1"
            + (creatorId == null ? "" : " AND creator_id = :creator")
            + (beforeId == null ? "" : " AND id < :before") + " ORDER BY id DESC LIMIT :limit")
        .bind("creator", creatorId).bind("before", beforeId).bind("limit", limit)
        .map((rs, c) -> job(rs)).list());
  }

  /**
   * Takes the oldest job of one of {@code kinds} that is queued or whose lease ran out, or nothing. The
   * UPDATE repeats the condition and the attempt seen, so of two nodes racing for one job exactly one gets
   * it (PostgreSQL re-checks the WHERE clause of the second once the first commits; SQLite writes one at a
   * time).
   */
  Optional<Lease> claim(Collection<String> kinds, String owner, long now, long leaseMillis, int maxAttempts) {
    if (kinds.isEmpty()) {
      return Optional.empty();
    }
    List<long[]> candidates = jdbi.withHandle(h -> h.createQuery("SELECT id, attempt FROM jobs"
            + " WHERE kind IN (<kinds>) AND (state = 'queued' OR (state = 'running' AND lease_until < :now))"
            + " ORDER BY id LIMIT 8")
        .bindList("kinds", List.copyOf(kinds)).bind("now", now)
        .map((rs, c) -> new long[] {rs.getLong(1), rs.getLong(2)}).list());
    for (long[] candidate : candidates) {
      long id = candidate[0];
      int attempt = (int) candidate[1];
      if (attempt >= maxAttempts) {
        abandon(id, attempt, now, maxAttempts);
        continue;
      }
      int taken = jdbi.withHandle(h -> h.createUpdate("UPDATE jobs SET state = 'running', attempt = attempt + 1,"
              + " lease_owner = :owner, lease_until = :until, started_at = COALESCE(started_at, :now)"
              + " WHERE id = :id AND attempt = :attempt"
              + " AND (state = 'queued' OR (state = 'running' AND lease_until < :now))")
          .bind("owner", owner).bind("until", now + leaseMillis).bind("now", now).bind("id", id)
          .bind("attempt", attempt).execute());
      if (taken == 1) {
        return find(id).map(j -> new Lease(j, owner, attempt + 1));
      }
    }
    return Optional.empty();
  }

  /** A job whose node stopped {@code maxAttempts} times while running it is failed, not tried forever. */
  private void abandon(long id, int attempt, long now, int maxAttempts) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE jobs SET state = 'failed', finished_at = :now,"
            + " error_code = 'abandoned', error_message = :message, lease_until = NULL"
            + " WHERE id = :id AND attempt = :attempt AND state = 'running' AND lease_until < :now")
        .bind("now", now).bind("id", id).bind("attempt", attempt)
        .bind("message", "the node running this job stopped " + maxAttempts + " times before it finished")
        .execute());
  }

  /** Extends the lease and writes progress; false when the lease is no longer this node's. */
  boolean renew(Lease lease, long until, JobContext.Snapshot progress) {
    return renew(lease, () -> until, progress);
  }

  /**
   * As above, with the lease's end taken from {@code until} once the write is under way. A transaction, so
   * on SQLite the renewal queues for the write lock in turn with this node's other transactions: as a lone
   * statement it polled for the lock in SQLite's busy handler, which back-to-back transactions (a mirror run
   * storing batches while the publisher writes) starved until the lease ran out. Its wait is now bounded by
   * the transactions queued ahead of it, and the lease counts from when it is written. Its commit does not
   * wait for the disk ({@link Dialect#inUnforcedTransaction}): a renewal or progress lost
   * with the machine means nothing once that machine is down, and a forced commit twice a second would hold
   * the write lock while the disk syncs what bulk writers wrote meanwhile.
   */
  boolean renew(Lease lease, java.util.function.LongSupplier until, JobContext.Snapshot progress) {
    return dialect.inUnforcedTransaction(jdbi, h -> h.createUpdate("UPDATE jobs SET lease_until = :until, phase = :phase,"
            + " progress_json = :progress WHERE id = :id AND attempt = :attempt AND lease_owner = :owner"
            + " AND state = 'running'")
        .bind("until", until.getAsLong()).bind("phase", progress.phase())
        .bind("progress", text(progress.counters()))
        .bind("id", lease.job().id()).bind("attempt", lease.attempt()).bind("owner", lease.owner())
        .execute()) == 1;
  }

  /**
   * Records the outcome and drops the input; false when the lease was lost meanwhile. The owner stays, to
   * say which node ran the job.
   */
  boolean finish(Lease lease, JobState state, JobContext.Snapshot progress, Map<String, Object> result,
      String errorCode, String errorMessage, long now) {
    return jdbi.inTransaction(h -> {
      int n = h.createUpdate("UPDATE jobs SET state = :state, finished_at = :now, phase = :phase,"
              + " progress_json = :progress, result_json = :result, error_code = :code, error_message = :message,"
              + " lease_until = NULL"
              + " WHERE id = :id AND attempt = :attempt AND lease_owner = :owner AND state = 'running'")
          .bind("state", state.label()).bind("now", now).bind("phase", progress.phase())
          .bind("progress", text(progress.counters())).bind("result", result == null ? null : text(result))
          .bind("code", errorCode).bind("message", errorMessage)
          .bind("id", lease.job().id()).bind("attempt", lease.attempt()).bind("owner", lease.owner()).execute();
      if (n == 1) {
        h.createUpdate("DELETE FROM job_inputs WHERE job_id = :id").bind("id", lease.job().id()).execute();
      }
      return n == 1;
    });
  }

  /** Gives a job back (this node is stopping): queued again at once, for any node. */
  void release(Lease lease, JobContext.Snapshot progress) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE jobs SET state = 'queued', lease_owner = NULL, lease_until = NULL,"
            + " phase = :phase, progress_json = :progress"
            + " WHERE id = :id AND attempt = :attempt AND lease_owner = :owner AND state = 'running'")
        .bind("phase", progress.phase()).bind("progress", text(progress.counters()))
        .bind("id", lease.job().id()).bind("attempt", lease.attempt()).bind("owner", lease.owner()).execute());
  }

  /** The job's input, one chunk in memory at a time. */
  InputStream openInput(long id) {
    return new InputStream() {
      private int seq;
      private byte[] chunk = new byte[0];
      private int pos;
      private boolean done;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (len == 0) {
          return 0;
        }
        while (pos == chunk.length) {
          if (done) {
            return -1;
          }
          Optional<byte[]> next = chunk(id, seq++);
          done = next.isEmpty();
          chunk = next.orElse(new byte[0]);
          pos = 0;
        }
        int n = Math.min(len, chunk.length - pos);
        System.arraycopy(chunk, pos, b, off, n);
        pos += n;
        return n;
      }
    };
  }

  private Optional<byte[]> chunk(long id, int seq) {
    return jdbi.withHandle(h -> h.createQuery("SELECT data FROM job_inputs WHERE job_id = :id AND seq = :seq")
        .bind("id", id).bind("seq", seq).mapTo(byte[].class).findOne());
  }

  private static Job job(ResultSet rs) throws SQLException {
    return new Job(rs.getLong("id"), rs.getString("kind"), tree(rs.getString("params_json")),
        JobState.of(rs.getString("state")), rs.getString("created_by"), longOrNull(rs, "creator_id"),
        instant(rs, "created_at"), instant(rs, "started_at"), instant(rs, "finished_at"), rs.getString("phase"),
        counters(rs.getString("progress_json")), rs.getString("result_json") == null ? null
            : tree(rs.getString("result_json")), rs.getString("error_code"), rs.getString("error_message"),
        rs.getInt("attempt"), rs.getString("lease_owner"), instant(rs, "lease_until"));
  }

  private static Long longOrNull(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Long v = longOrNull(rs, column);
    return v == null ? null : Instant.ofEpochMilli(v);
  }

  private static JsonNode tree(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored job JSON does not parse", e);
    }
  }

  private static Map<String, Long> counters(String text) {
    try {
      return JSON.readValue(text, new TypeReference<java.util.LinkedHashMap<String, Long>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored job progress does not parse", e);
    }
  }

  private static String text(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("job progress or result is not JSON", e);
    }
  }
}
