package io.wharf.server.changes;

import io.wharf.server.db.Database;
import io.wharf.server.db.Dialect;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The ordered log of changes that nodes sharing a database apply to their published indexes. An entry
 * is appended inside the transaction of the change it describes, so it exists exactly when the change
 * committed. On PostgreSQL the append also notifies listeners, which wake at once instead of at their
 * next poll.
 */
public final class JdbcChangeLog implements ChangeSource, AutoCloseable {
  /** The PostgreSQL notification channel; the payload is empty, listeners read the log. */
  public static final String CHANNEL = "wharf_changes";

  private final Jdbi jdbi;
  private final Dialect dialect;
  private org.jdbi.v3.core.Handle listener;

  public JdbcChangeLog(Database db) {
    this.jdbi = db.jdbi();
    this.dialect = db.dialect();
  }

  /** Appends an entry in the caller's transaction and returns its sequence number. */
  public static long append(Handle h, Dialect dialect, Change.Kind kind, long channelId, String label,
      String subdir, String name, long now) {
    long seq = h.createUpdate("INSERT INTO change_log (channel_id, kind, label, subdir, name, created_at)"
            + " VALUES (:channelId, :kind, :label, :subdir, :name, :now)")
        .bind("channelId", channelId)
        .bind("kind", kind.name())
        .bind("label", label)
        .bind("subdir", subdir)
        .bind("name", name)
        .bind("now", now)
        .executeAndReturnGeneratedKeys("seq")
        .mapTo(Long.class)
        .one();
    if (dialect == Dialect.POSTGRESQL) {
      h.execute("NOTIFY " + CHANNEL);
    }
    return seq;
  }

  @Override
  public List<Change> read(long afterSeq, List<Long> holes, int limit) {
    return jdbi.withHandle(h -> {
      String where = holes.isEmpty() ? "seq > :after" : "(seq > :after OR seq IN (<holes>))";
      var q = h.createQuery("SELECT seq, channel_id, kind, label, subdir, name FROM change_log WHERE " + where
              + " ORDER BY seq LIMIT :limit")
          .bind("after", afterSeq)
          .bind("limit", limit);
      if (!holes.isEmpty()) {
        q.bindList("holes", holes);
      }
      return q.map((rs, ctx) -> new Change(rs.getLong("seq"), Change.Kind.valueOf(rs.getString("kind")),
              rs.getLong("channel_id"), rs.getString("label"), rs.getString("subdir"), rs.getString("name")))
          .list();
    });
  }

  @Override
  public List<Long> present(long from, long to) {
    return jdbi.withHandle(h -> h.createQuery("SELECT seq FROM change_log WHERE seq > :from AND seq <= :to ORDER BY seq")
        .bind("from", from).bind("to", to).mapTo(Long.class).list());
  }

  @Override
  public long head() {
    return jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(MAX(seq), 0) FROM change_log")
        .mapTo(Long.class).one());
  }

  @Override
  public int prune(long before) {
    return jdbi.withHandle(h -> h.createUpdate("DELETE FROM change_log WHERE created_at < :before")
        .bind("before", before).execute());
  }

  @Override
  public void await(long millis) throws InterruptedException {
    if (dialect != Dialect.POSTGRESQL) {
      Thread.sleep(millis);
      return;
    }
    try {
      if (listener == null) {
        listener = jdbi.open();
        listener.execute("LISTEN " + CHANNEL);
      }
      org.postgresql.PGConnection pg = listener.getConnection().unwrap(org.postgresql.PGConnection.class);
      pg.getNotifications((int) Math.max(1, millis));
    } catch (java.sql.SQLException | RuntimeException e) {
      closeListener();
      Thread.sleep(millis);
    }
  }

  private void closeListener() {
    if (listener != null) {
      try {
        listener.close();
      } catch (RuntimeException ignored) {
        // a broken connection is dropped; the next wait opens a new one
      }
      listener = null;
    }
  }

  @Override
  public void close() {
    closeListener();
  }
}
