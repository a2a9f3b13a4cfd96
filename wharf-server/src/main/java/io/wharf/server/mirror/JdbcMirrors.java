package io.wharf.server.mirror;

import io.wharf.server.db.Database;
import io.wharf.server.db.DigestIndexes;
import io.wharf.server.db.DuplicateKeyException;
import io.wharf.server.db.JdbcBatch;
import io.wharf.server.db.TransactionPart;
import io.wharf.server.error.WharfException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/** The mirror tables (migration V32): mirrors, their runs, validators, written records and passive blobs. */
public final class JdbcMirrors {
  private static final String MIRROR_COLUMNS = "m.id, m.name, m.channel_id, c.name AS channel_name, m.label,"
      + " m.upstream_url, m.mode, m.subdirs, m.remove_deleted, m.credentials, m.created_at,"
      + " m.every_seconds, m.next_run_at, m.records";
  /**
   * Filenames per lookup query: a run's whole chunk in one query, well under the limit of bound parameters
   * (32,766 in SQLite since 3.32, 32,767 in PostgreSQL's protocol).
   */
  private static final int LOOKUP = 5000;
  private final Jdbi jdbi;

  public JdbcMirrors(Database db) {
    this.jdbi = db.jdbi();
  }

  /** A mirror row with its sealed credentials (null when none). */
  record Row(Mirror mirror, String sealedCredentials) {}

  long create(String name, long channelId, String label, String url, MirrorMode mode, List<String> subdirs,
      boolean removeDeleted, String sealed, long now, Long everySeconds, MirrorRecords records) {
    try {
      return jdbi.withHandle(h -> h.createUpdate("INSERT INTO mirrors (name, channel_id, label, upstream_url, mode,"
              + " subdirs, remove_deleted, credentials, created_at, every_seconds, next_run_at, records) VALUES (:name,"
              + " :channel, :label, :url, :mode, :subdirs, :remove, :credentials, :now, :every, :next, :records)")
          .bind("records", records.text())
          .bind("every", everySeconds).bind("next", everySeconds == null ? null : (Long) (now + everySeconds * 1000))
          .bind("name", name).bind("channel", channelId).bind("label", label).bind("url", url)
          .bind("mode", mode.text()).bind("subdirs", String.join(",", subdirs)).bind("remove", removeDeleted ? 1 : 0)
          .bind("credentials", sealed).bind("now", now)
          .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
    } catch (RuntimeException e) {
      if (DuplicateKeyException.isUniqueViolation(e)) {
        throw WharfException.conflict("mirror_exists", "a mirror named " + name + " already exists");
      }
      throw e;
    }
  }

  List<Row> all() {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + MIRROR_COLUMNS
        + " FROM mirrors m JOIN channels c ON c.id = m.channel_id ORDER BY m.name").map((rs, ctx) -> row(rs)).list());
  }

  Optional<Row> byName(String name) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + MIRROR_COLUMNS
        + " FROM mirrors m JOIN channels c ON c.id = m.channel_id WHERE m.name = :name")
        .bind("name", name).map((rs, ctx) -> row(rs)).findOne());
  }

  Optional<Row> byId(long id) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + MIRROR_COLUMNS
        + " FROM mirrors m JOIN channels c ON c.id = m.channel_id WHERE m.id = :id")
        .bind("id", id).map((rs, ctx) -> row(rs)).findOne());
  }

  private static Row row(ResultSet rs) throws SQLException {
    String subdirs = rs.getString("subdirs");
    String sealed = rs.getString("credentials");
    long everyValue = rs.getLong("every_seconds");
    Long every = rs.wasNull() ? null : everyValue;
    long nextValue = rs.getLong("next_run_at");
    Long next = rs.wasNull() ? null : nextValue;
    return new Row(new Mirror(rs.getLong("id"), rs.getString("name"), rs.getLong("channel_id"),
        rs.getString("channel_name"), rs.getString("label"), rs.getString("upstream_url"),
        MirrorMode.parse(rs.getString("mode")), subdirs.isEmpty() ? List.of() : Arrays.asList(subdirs.split(",")),
        rs.getInt("remove_deleted") != 0, sealed != null, Instant.ofEpochMilli(rs.getLong("created_at")),
        every == null ? null : Duration.ofSeconds(every), next == null ? null : Instant.ofEpochMilli(next),
        MirrorRecords.parse(rs.getString("records"))), sealed);
  }

  /** Deletes the mirror with its history, validators, record digests and passive sources (cascade). */
  boolean delete(long id) {
    return jdbi.withHandle(h -> h.createUpdate("DELETE FROM mirrors WHERE id = :id").bind("id", id).execute()) == 1;
  }

  /** Mirrors on a schedule whose next run is due at {@code now}. */
  List<Row> due(long now) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + MIRROR_COLUMNS + " FROM mirrors m JOIN channels c"
            + " ON c.id = m.channel_id WHERE m.every_seconds IS NOT NULL AND m.next_run_at <= :now ORDER BY m.id")
        .bind("now", now).map((rs, ctx) -> row(rs)).list());
  }

  /**
   * Moves a due mirror's next run from {@code seen} to {@code next}; true for the one node whose UPDATE
   * found {@code seen} still there (PostgreSQL re-checks the WHERE clause of a second UPDATE once the first
   * commits; SQLite writes one at a time), which then queues the run.
   */
  boolean advance(long id, long seen, long next) {
    return jdbi.withHandle(h -> h.createUpdate("UPDATE mirrors SET next_run_at = :next WHERE id = :id"
        + " AND next_run_at = :seen").bind("next", next).bind("id", id).bind("seen", seen).execute()) == 1;
  }

  /** Sets whether runs remove what upstream dropped. */
  void setRemoveDeleted(long id, boolean removeDeleted) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE mirrors SET remove_deleted = :r WHERE id = :id")
        .bind("r", removeDeleted ? 1 : 0).bind("id", id).execute());
  }

  /**
   * Sets which records runs take; the validators are forgotten with it, so the next run reads the other
   * document instead of being answered 304 for the ETag of the one it read before.
   */
  void setRecords(long id, MirrorRecords records) {
    jdbi.useTransaction(h -> {
      h.createUpdate("UPDATE mirrors SET records = :r WHERE id = :id").bind("r", records.text()).bind("id", id)
          .execute();
      h.createUpdate("DELETE FROM mirror_subdirs WHERE mirror_id = :id").bind("id", id).execute();
    });
  }

  /**
   * Sets the schedule: {@code everySeconds} and the next due time, or neither (null) for runs only when asked.
   * A node that read the old due time no longer finds it, so it queues nothing ({@link #advance}).
   */
  void setSchedule(long id, Long everySeconds, Long nextRunAt) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE mirrors SET every_seconds = :every, next_run_at = :next WHERE id = :id")
        .bind("every", everySeconds).bind("next", nextRunAt).bind("id", id).execute());
  }

  long startRun(long mirrorId, long now, Long jobId) {
    return jdbi.withHandle(h -> h.createUpdate("INSERT INTO mirror_runs (mirror_id, started_at, status, files, bytes,"
            + " errors, removed, job_id) VALUES (:mirror, :now, 'running', 0, 0, 0, 0, :job)")
        .bind("mirror", mirrorId).bind("now", now).bind("job", jobId)
        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
  }

  /**
   * Closes the runs of {@code jobId} left open by a node that stopped while running it, before the job runs
   * again; returns how many.
   */
  int interrupted(long jobId, long now) {
    return jdbi.withHandle(h -> h.createUpdate("UPDATE mirror_runs SET finished_at = :now, status = 'failed',"
            + " message = 'interrupted: the node running it stopped; the next attempt resumes it'"
            + " WHERE job_id = :job AND finished_at IS NULL").bind("now", now).bind("job", jobId).execute());
  }

  void finishRun(long runId, String status, MirrorRun.Counts counts, String message, long now) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE mirror_runs SET finished_at = :now, status = :status, files = :files,"
            + " bytes = :bytes, errors = :errors, removed = :removed, message = :message,"
            + " excluded_json = :excluded WHERE id = :id")
        .bind("excluded", excludedJson(counts.excluded()))
        .bind("now", now).bind("status", status).bind("files", counts.files()).bind("bytes", counts.bytes())
        .bind("errors", counts.errors()).bind("removed", counts.removed()).bind("message", message)
        .bind("id", runId).execute());
  }

  List<MirrorRunView> runs(long mirrorId, int limit) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM mirror_runs WHERE mirror_id = :mirror ORDER BY id DESC"
            + " LIMIT :limit").bind("mirror", mirrorId).bind("limit", limit)
        .map((rs, ctx) -> {
          long finished = rs.getLong("finished_at");
          boolean running = rs.wasNull();
          return new MirrorRunView(rs.getLong("id"), rs.getLong("mirror_id"),
              Instant.ofEpochMilli(rs.getLong("started_at")), running ? null : Instant.ofEpochMilli(finished),
              rs.getString("status"), rs.getLong("files"), rs.getLong("bytes"), rs.getLong("errors"),
              rs.getLong("removed"), rs.getString("message"), jobId(rs), excluded(rs.getString("excluded_json")));
        }).list());
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  private static String excludedJson(java.util.Map<String, Long> byFilter) {
    try {
      return JSON.writeValueAsString(new java.util.TreeMap<>(byFilter));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static java.util.Map<String, Long> excluded(String json) {
    if (json == null) {
      return java.util.Map.of();
    }
    java.util.Map<String, Long> out = new java.util.TreeMap<>();
    try {
      JSON.readTree(json).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asLong()));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("mirror_runs.excluded_json is not JSON: " + json, e);
    }
    return java.util.Collections.unmodifiableMap(out);
  }

  private static Long jobId(ResultSet rs) throws SQLException {
    long v = rs.getLong("job_id");
    return rs.wasNull() ? null : v;
  }

  /** ETag and Last-Modified of the repodata a run last took in completely. */
  record Validators(String etag, String lastModified) {
    static final Validators NONE = new Validators(null, null);
  }

  Validators validators(long mirrorId, String subdir) {
    return jdbi.withHandle(h -> h.createQuery("SELECT etag, last_modified FROM mirror_subdirs"
            + " WHERE mirror_id = :mirror AND subdir = :subdir").bind("mirror", mirrorId).bind("subdir", subdir)
        .map((rs, ctx) -> new Validators(rs.getString(1), rs.getString(2))).findOne().orElse(Validators.NONE));
  }

  void saveValidators(long mirrorId, String subdir, Validators v) {
    jdbi.useHandle(h -> h.createUpdate("INSERT INTO mirror_subdirs (mirror_id, subdir, etag, last_modified)"
            + " VALUES (:mirror, :subdir, :etag, :lm) ON CONFLICT (mirror_id, subdir)"
            + " DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified")
        .bind("mirror", mirrorId).bind("subdir", subdir).bind("etag", v.etag()).bind("lm", v.lastModified())
        .execute());
  }

  /**
   * A record this mirror wrote: the SHA-256 of its text, of its file, and of its bytes as upstream served
   * them ({@link UpstreamRecord#rawDigest}; null for rows written before that was kept).
   */
  record Known(String recordSha256, String sha256, String rawSha256) {}

  /** The records this mirror wrote in the subdir, by filename. */
  Map<String, Known> records(long mirrorId, String subdir) {
    Map<String, Known> out = new HashMap<>();
    jdbi.useHandle(h -> h.createQuery("SELECT filename, record_sha256, sha256, raw_sha256 FROM mirror_records"
            + " WHERE mirror_id = :mirror AND subdir = :subdir").bind("mirror", mirrorId).bind("subdir", subdir)
        .map((rs, ctx) -> out.put(rs.getString(1), new Known(rs.getString(2), rs.getString(3), rs.getString(4)))).list());
    return out;
  }

  /**
   * The records this mirror wrote in the subdir among {@code filenames}, by filename: a run looks up what it
   * read a chunk at a time rather than holding every row of a large subdir.
   */
  Map<String, Known> records(long mirrorId, String subdir, Collection<String> filenames) {
    Map<String, Known> out = new HashMap<>();
    // bound by position, one statement for the whole lookup: a re-run asks for every filename upstream lists
    jdbi.useHandle(h -> JdbcBatch.selectIn(h, "SELECT filename, record_sha256, sha256, raw_sha256 FROM mirror_records"
        + " WHERE mirror_id = ? AND subdir = ? AND filename IN (<in>)", s -> {
          s.setLong(1, mirrorId);
          s.setString(2, subdir);
        }, 2, List.copyOf(filenames), LOOKUP,
        rs -> out.put(rs.getString(1), new Known(rs.getString(2), rs.getString(3), rs.getString(4)))));
    return out;
  }

  /**
   * The filenames this mirror wrote in the subdir with their raw digests, read in one pass and held packed
   * ({@link KnownRecords}): what a run compares upstream's listing with.
   */
  KnownRecords known(long mirrorId, String subdir) {
    KnownRecords out = new KnownRecords();
    // plain JDBC: hundreds of thousands of rows, each read straight into the packed arrays
    String sql = "SELECT filename, raw_sha256 FROM mirror_records WHERE mirror_id = ? AND subdir = ?";
    jdbi.useHandle(h -> {
      try (java.sql.PreparedStatement s = h.getConnection().prepareStatement(sql)) {
        s.setLong(1, mirrorId);
        s.setString(2, subdir);
        s.setFetchSize(10_000);
        try (java.sql.ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            out.add(rs.getString(1), rs.getString(2));
          }
        }
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException("reading the records of mirror " + mirrorId + " failed: " + e.getMessage(), e);
      }
    });
    return out;
  }

  /** A record a run wrote, to note in one transaction with the others of its batch. */
  record Written(String subdir, String filename, String recordSha256, String sha256, String signaturesJson,
      String rawSha256) {}

  /** {@link #putRecord} for a batch, in one transaction. */
  void putRecords(long mirrorId, List<Written> written) {
    if (written.isEmpty()) {
      return;
    }
    jdbi.useTransaction(putRecordsPart(mirrorId, written)::write);
  }

  /** {@link #putRecords} as part of another writer's transaction. */
  TransactionPart putRecordsPart(long mirrorId, List<Written> written) {
    if (written.isEmpty()) {
      return TransactionPart.NONE;
    }
    // the last row of a file only, as upserts one by one would leave it (see JdbcBatch)
    Map<List<String>, Written> last = new java.util.LinkedHashMap<>();
    written.forEach(w -> last.put(List.of(w.subdir(), w.filename()), w));
    // bound by position: a run writes these thousands at a time
    return h -> JdbcBatch.execute(h, PUT_RECORD, s -> {
      for (Written w : last.values()) {
        s.setLong(1, mirrorId);
        s.setString(2, w.subdir());
        s.setString(3, w.filename());
        s.setString(4, w.recordSha256());
        s.setString(5, w.sha256());
        JdbcBatch.setText(s, 6, w.signaturesJson());
        JdbcBatch.setText(s, 7, w.rawSha256());
        s.addBatch();
      }
    });
  }

  private static final String PUT_RECORD = "INSERT INTO mirror_records (mirror_id, subdir, filename, record_sha256,"
      + " sha256, signatures_json, raw_sha256) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (mirror_id, subdir, filename)"
      + " DO UPDATE SET record_sha256 = excluded.record_sha256, sha256 = excluded.sha256,"
      + " signatures_json = excluded.signatures_json, raw_sha256 = excluded.raw_sha256";
  // passive_blobs has no key to upsert on (its digests are indexed by a short tag, see DigestIndexes): a source is
  // replaced by deleting the mirror's row for those bytes and inserting it again
  static final String DROP_PASSIVE = "DELETE FROM passive_blobs WHERE " + DigestIndexes.SHA256.is("sha256", "?")
      + " AND mirror_id = ?"; // the digest twice, then the mirror
  private static final String ADD_PASSIVE = "INSERT INTO passive_blobs (sha256, mirror_id, url, size) VALUES (?, ?, ?, ?)";

  /** {@link #addPassive} for a batch of files of one mirror, in one transaction. */
  void addPassives(long mirrorId, List<PassiveSource> sources) {
    if (sources.isEmpty()) {
      return;
    }
    jdbi.useTransaction(addPassivesPart(mirrorId, sources)::write);
  }

  /** {@link #addPassives} as part of another writer's transaction. */
  TransactionPart addPassivesPart(long mirrorId, List<PassiveSource> sources) {
    if (sources.isEmpty()) {
      return TransactionPart.NONE;
    }
    // one row for the mirror and those bytes: the last source of them (two files of a batch may have equal bytes)
    Map<String, PassiveSource> last = new java.util.LinkedHashMap<>();
    sources.forEach(p -> last.put(p.sha256(), p));
    return h -> {
      JdbcBatch.execute(h, DROP_PASSIVE, s -> {
        for (PassiveSource p : last.values()) {
          s.setString(1, p.sha256());
          s.setString(2, p.sha256());
          s.setLong(3, mirrorId);
          s.addBatch();
        }
      });
      JdbcBatch.execute(h, ADD_PASSIVE, s -> {
        for (PassiveSource p : last.values()) {
          s.setString(1, p.sha256());
          s.setLong(2, mirrorId);
          s.setString(3, p.url());
          s.setLong(4, p.size());
          s.addBatch();
        }
      });
    };
  }

  void putRecord(long mirrorId, Written w) {
    putRecords(mirrorId, List.of(w));
  }

  /**
   * Notes the raw digest of records whose row is already what upstream lists (rows written before raw
   * digests were kept, or under other rules), by filename, in one transaction: the next run skips them unparsed.
   */
  void putRawDigests(long mirrorId, String subdir, Map<String, String> rawByFilename) {
    if (rawByFilename.isEmpty()) {
      return;
    }
    jdbi.useTransaction(h -> {
      org.jdbi.v3.core.statement.PreparedBatch batch = h.prepareBatch("UPDATE mirror_records SET raw_sha256 = :raw"
          + " WHERE mirror_id = :mirror AND subdir = :subdir AND filename = :filename");
      rawByFilename.forEach((filename, raw) -> batch.bind("raw", raw).bind("mirror", mirrorId)
          .bind("subdir", subdir).bind("filename", filename).add());
      batch.execute();
    });
  }

  void deleteRecord(long mirrorId, String subdir, String filename) {
    deleteRecords(mirrorId, subdir, List.of(filename));
  }

  /** Forgets these records of one subdir, in one transaction. */
  void deleteRecords(long mirrorId, String subdir, List<String> filenames) {
    if (filenames.isEmpty()) {
      return;
    }
    jdbi.useTransaction(h -> {
      org.jdbi.v3.core.statement.PreparedBatch batch = h.prepareBatch("DELETE FROM mirror_records"
          + " WHERE mirror_id = :mirror AND subdir = :subdir AND filename = :filename");
      filenames.forEach(f -> batch.bind("mirror", mirrorId).bind("subdir", subdir).bind("filename", f).add());
      batch.execute();
    });
  }

  /** Upstream signatures kept for one file, as upstream gave them, or empty. */
  Optional<String> signatures(long mirrorId, String subdir, String filename) {
    return jdbi.withHandle(h -> h.createQuery("SELECT signatures_json FROM mirror_records WHERE mirror_id = :mirror"
            + " AND subdir = :subdir AND filename = :filename").bind("mirror", mirrorId).bind("subdir", subdir)
        .bind("filename", filename).mapTo(String.class).findOne());
  }

  /** Where the bytes of a passive file can be fetched. */
  record PassiveSource(String sha256, long mirrorId, String url, long size) {}

  void addPassive(String sha256, long mirrorId, String url, long size) {
    addPassives(mirrorId, List.of(new PassiveSource(sha256, mirrorId, url, size)));
  }

  static final String PASSIVE_SOURCES = "SELECT sha256, mirror_id, url, size FROM passive_blobs WHERE "
      + DigestIndexes.SHA256.is("sha256", ":sha") + " ORDER BY mirror_id";

  List<PassiveSource> passiveSources(String sha256) {
    return jdbi.withHandle(h -> h.createQuery(PASSIVE_SOURCES).bind("sha", sha256)
        .map((rs, ctx) -> new PassiveSource(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getLong(4))).list());
  }

  void removePassive(String sha256) {
    jdbi.useHandle(h -> h.createUpdate("DELETE FROM passive_blobs WHERE " + DigestIndexes.SHA256.is("sha256", ":sha"))
        .bind("sha", sha256).execute());
  }

  /** Which of these SHA-256s are passive (bytes not fetched yet). */
  Set<String> passiveAmong(Collection<String> sha256s) {
    if (sha256s.isEmpty()) {
      return Set.of();
    }
    List<String> distinct = List.copyOf(new HashSet<>(sha256s));
    return new HashSet<>(jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT sha256 FROM passive_blobs"
            + " WHERE " + DigestIndexes.SHA256.in("sha256", "tags", "shas"))
        .bindList("tags", DigestIndexes.SHA256.tags(distinct))
        .bindList("shas", distinct).mapTo(String.class).list()));
  }
}
