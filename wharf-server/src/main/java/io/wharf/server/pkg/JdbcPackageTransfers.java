package io.wharf.server.pkg;

import io.wharf.server.changes.Change;
import io.wharf.server.changes.JdbcChangeLog;
import io.wharf.server.db.Database;
import io.wharf.server.db.Dialect;
import io.wharf.server.db.DuplicateKeyException;
import io.wharf.server.error.WharfException;
import io.wharf.server.events.PackageRemoved;
import io.wharf.server.events.PackageStored;
import io.wharf.server.history.jdbc.ChannelHistory;
import io.wharf.server.trust.RecordSigner;
import io.wharf.server.pkg.Transfer.Mode;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * Carries out a {@link Transfer} in one transaction: the rows inserted into the target and deleted from
 * the source and target, their dependency rows, blob-garbage marks, change-log entries and history
 * entries all commit together or not at all. A copy inserts rows that name the blob the source row
 * names, so no bytes move and no second blob appears.
 */
final class JdbcPackageTransfers {
  // A concurrent write to the same rows makes one transaction lose (a duplicate key, a PostgreSQL
  // deadlock, or a source row gone by the time it is deleted); it is run again from the start, where
  // it sees the winner's rows.
  private static final int ATTEMPTS = 5;

  private final Jdbi jdbi;
  private final Dialect dialect;
  private final Clock clock;
  private final RecordSigner signer;

  JdbcPackageTransfers(Database db, Clock clock, RecordSigner signer) {
    this.signer = signer;
    this.jdbi = db.jdbi();
    this.dialect = db.dialect();
    this.clock = clock;
  }

  /** The result and the events to publish once it committed (none for a dry run). */
  record Done(TransferResult result, List<PackageStored> stored, List<PackageRemoved> removed) {}

  /** Thrown inside the transaction when a row it read was changed by another one meanwhile. */
  private static final class Lost extends RuntimeException {
    Lost() {
      super("a concurrent change took a row this transfer read", null, false, false);
    }
  }

  Done run(Transfer t) {
    for (int attempt = 1; ; attempt++) {
      try {
        return jdbi.inTransaction(h -> once(h, t));
      } catch (Lost | JdbiException e) {
        if (!(e instanceof Lost) && !retryable((JdbiException) e)) {
          throw e;
        }
        if (attempt == ATTEMPTS) {
          throw WharfException.conflict("concurrent_change", "the files changed while this " + t.mode().word()
              + " ran, " + ATTEMPTS + " times in a row; nothing was changed, try again");
        }
      }
    }
  }

  private static boolean retryable(JdbiException e) {
    if (DuplicateKeyException.isUniqueViolation(e)) {
      return true;
    }
    for (Throwable c = e; c != null; c = c.getCause()) {
      // PostgreSQL: serialization failure, deadlock detected
      if (c instanceof SQLException s && ("40001".equals(s.getSQLState()) || "40P01".equals(s.getSQLState()))) {
        return true;
      }
    }
    return false;
  }

  private Done once(Handle h, Transfer t) {
    List<PackageFile> sources = resolve(h, t);
    List<TransferResult.FileResult> results = new ArrayList<>();
    List<PackageFile> copies = new ArrayList<>();
    List<PackageFile> deleted = new ArrayList<>();
    List<Map<String, Object>> collisions = new ArrayList<>();
    for (PackageFile f : sources) {
      String outcome = switch (t.mode()) {
        case REMOVE -> "removed";
        case COPY -> "copied";
        case MOVE -> "moved";
      };
      if (t.mode() != Mode.REMOVE) {
        Optional<PackageFile> there = find(h, t.target(), f.subdir(), f.filename());
        if (there.isPresent()) {
          collisions.add(Map.of("subdir", f.subdir(), "filename", f.filename()));
          if (t.onCollision() == OnCollision.SKIP) {
            results.add(result(f, "skipped"));
            continue;
          }
          deleted.add(there.get());
          outcome = "replaced";
        }
        copies.add(f);
      }
      if (t.mode() != Mode.COPY) {
        deleted.add(f);
      }
      results.add(result(f, outcome));
    }
    if (!collisions.isEmpty() && t.onCollision() == OnCollision.FAIL) {
      throw new WharfException(WharfException.Kind.CONFLICT, "collision", collisions.size()
          + " file(s) already exist in " + t.target().text() + ": "
          + collisions.stream().map(c -> c.get("subdir") + "/" + c.get("filename")).toList()
          + "; nothing was " + (t.mode() == Mode.COPY ? "copied" : "moved")
          + " (skip or replace them to go ahead)", Map.of("collisions", collisions));
    }
    TransferResult result = new TransferResult(t.mode().word(), t.source().text(),
        t.target() == null ? null : t.target().text(), t.dryRun(), results);
    if (t.dryRun()) {
      return new Done(result, List.of(), List.of());
    }
    long now = clock.millis();
    for (PackageFile gone : deleted) {
      if (h.createUpdate("DELETE FROM package_files WHERE id = :id").bind("id", gone.id()).execute() != 1) {
        throw new Lost();
      }
    }
    List<PackageFile> inserted = new ArrayList<>();
    for (PackageFile f : copies) {
      inserted.add(insertCopy(h, f, t.target()));
    }
    for (String key : new TreeSet<>(deleted.stream().map(PackageFile::blobKey).toList())) {
      JdbcPackageFileRepository.markIfUnreferenced(h, key, now);
    }
    return finish(h, t, result, inserted, deleted, now);
  }

  private static TransferResult.FileResult result(PackageFile f, String outcome) {
    return new TransferResult.FileResult(f.label(), f.subdir(), f.filename(), f.name(), f.version(), outcome);
  }

  private List<PackageFile> resolve(Handle h, Transfer t) {
    Map<Long, PackageFile> rows = new LinkedHashMap<>();
    List<String> unmatched = new ArrayList<>();
    for (TransferItem item : t.items()) {
      List<PackageFile> found = matching(h, t.source(), item);
      if (found.isEmpty()) {
        unmatched.add(item.text());
      }
      found.forEach(f -> rows.putIfAbsent(f.id(), f));
    }
    if (!unmatched.isEmpty()) {
      throw new WharfException(WharfException.Kind.NOT_FOUND, "no_match", "nothing in " + t.source().text()
          + " matches " + String.join(", ", unmatched) + "; nothing was changed", Map.of("items", unmatched));
    }
    List<PackageFile> out = new ArrayList<>(rows.values());
    out.sort(Comparator.comparing(PackageFile::subdir).thenComparing(PackageFile::filename));
    return out;
  }

  private List<PackageFile> matching(Handle h, Transfer.End end, TransferItem item) {
    // FOR UPDATE: a concurrent move or remove of the same rows waits for this one on PostgreSQL and
    // then finds them gone; SQLite runs one writing transaction at a time anyway.
    var q = h.createQuery("SELECT " + JdbcPackageFileRepository.COLUMNS + " FROM package_files"
            + " WHERE channel_id = :channelId AND label = :label AND name = :name"
            + (item.version() == null ? "" : " AND version = :version")
            + (item.filename() == null ? "" : " AND filename = :filename")
            + (item.subdir() == null ? "" : " AND subdir = :subdir")
            + " ORDER BY id" + (dialect == Dialect.POSTGRESQL ? " FOR UPDATE" : ""))
        .bind("channelId", end.channelId()).bind("label", end.label()).bind("name", item.name());
    if (item.version() != null) {
      q.bind("version", item.version());
    }
    if (item.filename() != null) {
      q.bind("filename", item.filename());
    }
    if (item.subdir() != null) {
      q.bind("subdir", item.subdir());
    }
    return q.map(JdbcPackageFileRepository::map).list();
  }

  private static Optional<PackageFile> find(Handle h, Transfer.End end, String subdir, String filename) {
    return h.createQuery("SELECT " + JdbcPackageFileRepository.COLUMNS + " FROM package_files"
            + " WHERE channel_id = :channelId AND label = :label AND subdir = :subdir AND filename = :filename")
        .bind("channelId", end.channelId()).bind("label", end.label()).bind("subdir", subdir)
        .bind("filename", filename)
        .map(JdbcPackageFileRepository::map).findOne();
  }

  /**
   * The row as stored (record, metadata, blob and upload time), in the target channel and label, signed
   * again with the current keys: the copy is a new record of the target channel, and a source signed
   * before the instance had keys (or with replaced keys) must not carry that state along.
   */
  private PackageFile insertCopy(Handle h, PackageFile f, Transfer.End to) {
    String signatures = signer.active() ? signer.sign(f.recordJson()) : f.signaturesJson();
    long id = JdbcPackageFileRows.insert(h, copy(0, f, to, signatures));
    PackageFile copy = copy(id, f, to, signatures);
    JdbcPackageFileRows.insertDependencies(h, List.of(copy));
    JdbcPackageFileRows.unmarkGarbage(h, List.of(f.blobKey()));
    return copy;
  }

  private static PackageFile copy(long id, PackageFile f, Transfer.End to, String signatures) {
    return new PackageFile(id, to.channelId(), to.label(), f.subdir(), f.filename(), f.name(),
        f.version(), f.build(), f.buildNumber(), f.md5(), f.sha256(), f.size(), f.blobKey(), f.uploadedAt(),
        f.recordJson(), f.indexJson(), f.aboutJson(), f.runExportsJson(), f.pathsFlagsJson(), signatures);
  }

  /**
   * Appends one change-log entry per (channel, label, subdir, name) the transfer touched, raises each
   * channel's revision, records the history of each channel, and returns the events to publish.
   */
  private Done finish(Handle h, Transfer t, TransferResult result, List<PackageFile> inserted,
      List<PackageFile> deleted, long now) {
    Map<List<Object>, Long> seqs = new LinkedHashMap<>();
    List<PackageFile> touched = new ArrayList<>(inserted);
    touched.addAll(deleted);
    Set<Long> channels = new LinkedHashSet<>();
    channels.add(t.source().channelId());
    if (t.target() != null) {
      channels.add(t.target().channelId());
    }
    for (PackageFile f : touched) {
      seqs.computeIfAbsent(List.of(f.channelId(), f.label(), f.subdir(), f.name()), k -> JdbcChangeLog.append(h,
          dialect, Change.Kind.FILES, f.channelId(), f.label(), f.subdir(), f.name(), now));
    }
    if (!touched.isEmpty()) {
      for (long channelId : channels) {
        JdbcPackageFileRepository.raiseRevision(h, channelId);
      }
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("from", t.source().text());
    if (t.target() != null) {
      details.put("to", t.target().text());
      details.put("on_collision", t.onCollision().name().toLowerCase(java.util.Locale.ROOT));
    }
    details.put("files", result.files());
    for (long channelId : channels) {
      ChannelHistory.record(h, channelId, t.actor(), t.mode().word(), details, now);
    }
    List<PackageStored> stored = inserted.stream().map(f -> new PackageStored(f.channelId(), f.label(), f.subdir(),
        f.filename(), f.name(), seqs.get(List.of(f.channelId(), f.label(), f.subdir(), f.name())))).toList();
    List<PackageRemoved> removed = deleted.stream().map(f -> new PackageRemoved(f.channelId(), f.label(),
        f.subdir(), f.filename(), f.name(), seqs.get(List.of(f.channelId(), f.label(), f.subdir(), f.name()))))
        .toList();
    return new Done(result, stored, removed);
  }
}
