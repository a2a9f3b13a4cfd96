package io.wharf.server.channel;

import io.wharf.server.db.Database;
import io.wharf.server.changes.Change;
import io.wharf.server.changes.JdbcChangeLog;
import io.wharf.server.db.Dialect;
import io.wharf.server.db.DigestIndexes;
import io.wharf.server.db.DuplicateKeyException;
import io.wharf.server.history.Actor;
import io.wharf.server.history.jdbc.ChannelHistory;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.StatementContext;

public final class JdbcChannelRepository implements ChannelRepository {
  private static final String COLUMNS = "id, name, description, privacy, created_at";

  private final Jdbi jdbi;
  private final Dialect dialect;
  private final Clock clock;
  private final Written written;

  /** Told of each change-log entry this repository writes, inside the writing transaction. */
  @FunctionalInterface
  public interface Written {
    void entry(long channelId, long seq);
  }

  public JdbcChannelRepository(Database db) {
    this(db, Clock.systemUTC());
  }

  public JdbcChannelRepository(Database db, Clock clock) {
    this(db, clock, (channelId, seq) -> { });
  }

  public JdbcChannelRepository(Database db, Clock clock, Written written) {
    this.jdbi = db.jdbi();
    this.dialect = db.dialect();
    this.clock = clock;
    this.written = Objects.requireNonNull(written, "written");
  }

  private void log(Handle h, long channelId, long now) {
    long seq = JdbcChangeLog.append(h, dialect, Change.Kind.CHANNEL, channelId, null, null, null, now);
    written.entry(channelId, seq);
  }

  @Override
  public Channel create(String name, String description, Privacy privacy, Actor actor) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(privacy, "privacy");
    long createdAt = clock.millis();
    try {
      long id = jdbi.inTransaction(h -> {
        long newId = h.createUpdate(
                "INSERT INTO channels (name, description, privacy, created_at)"
                    + " VALUES (:name, :description, :privacy, :createdAt)")
            .bind("name", name)
            .bind("description", description)
            .bind("privacy", privacy.name())
            .bind("createdAt", createdAt)
            .executeAndReturnGeneratedKeys("id")
            .mapTo(Long.class)
            .one();
        log(h, newId, createdAt);
        Map<String, Object> details = new java.util.LinkedHashMap<>();
        details.put("description", description);
        details.put("privacy", privacy.name().toLowerCase(java.util.Locale.ROOT));
        ChannelHistory.record(h, newId, actor, ChannelHistory.CHANNEL_CREATE, details, createdAt);
        return newId;
      });
      return new Channel(id, name, description, privacy, Instant.ofEpochMilli(createdAt));
    } catch (JdbiException e) {
      if (DuplicateKeyException.isUniqueViolation(e)) {
        throw new DuplicateKeyException("channel '" + name + "' already exists", e);
      }
      throw e;
    }
  }

  @Override
  public Optional<Channel> findByName(String name) {
    // lower(name) on both sides matches the unique index channels_name_ci.
    return jdbi.withHandle(h -> h.createQuery(
            "SELECT " + COLUMNS + " FROM channels WHERE lower(name) = lower(:name)")
        .bind("name", name)
        .map(JdbcChannelRepository::map)
        .findOne());
  }

  @Override
  public List<Channel> list() {
    return jdbi.withHandle(h -> h.createQuery(
            "SELECT " + COLUMNS + " FROM channels ORDER BY " + dialect.binaryOrder("name"))
        .map(JdbcChannelRepository::map)
        .list());
  }

  @Override
  public Map<Long, Long> revisions() {
    return jdbi.withHandle(h -> {
      Map<Long, Long> out = new HashMap<>();
      h.createQuery("SELECT id, revision FROM channels")
          .map((rs, ctx) -> Map.entry(rs.getLong("id"), rs.getLong("revision")))
          .forEach(e -> out.put(e.getKey(), e.getValue()));
      return out;
    });
  }

  @Override
  public void update(Channel channel, Actor actor) {
    jdbi.useTransaction(h -> {
      Optional<String> old = h.createQuery("SELECT privacy FROM channels WHERE id = :id").bind("id", channel.id())
          .mapTo(String.class).findOne();
      if (old.isEmpty()) {
        return;
      }
      long now = clock.millis();
      h.createUpdate("UPDATE channels SET description = :d, privacy = :p WHERE id = :id")
          .bind("d", channel.description()).bind("p", channel.privacy().name()).bind("id", channel.id()).execute();
      log(h, channel.id(), now);
      if (!old.get().equals(channel.privacy().name())) {
        ChannelHistory.record(h, channel.id(), actor, ChannelHistory.CHANNEL_PRIVACY, Map.of(
            "from", old.get().toLowerCase(java.util.Locale.ROOT),
            "to", channel.privacy().name().toLowerCase(java.util.Locale.ROOT)), now);
      }
    });
  }

  @Override
  public boolean delete(long id, Actor actor) {
    return jdbi.inTransaction(h -> {
      long now = clock.millis();
      boolean exists = h.createQuery("SELECT 1 FROM channels WHERE id = :id").bind("id", id)
          .mapTo(Integer.class).findOne().isPresent();
      if (exists) {
        ChannelHistory.record(h, id, actor, ChannelHistory.CHANNEL_DELETE, Map.of(), now);
      }
      // Blobs that only this channel uses may go, a grace period from now (other channels may share
      // the same content-addressed blob and keep it alive).
      h.createUpdate("INSERT INTO blob_garbage (blob_key, marked_at)"
              + " SELECT DISTINCT f.blob_key, :now FROM package_files f WHERE f.channel_id = :id"
              + " AND NOT EXISTS (SELECT 1 FROM package_files o WHERE "
              + DigestIndexes.BLOB_KEY.is("o.blob_key", "f.blob_key") + " AND o.channel_id <> :id)"
              + " AND NOT EXISTS (SELECT 1 FROM blob_garbage g WHERE g.blob_key = f.blob_key)")
          .bind("id", id).bind("now", now).execute();
      // The foreign key cascades too; deleting explicitly keeps this right even on a SQLite
      // connection opened elsewhere without PRAGMA foreign_keys.
      h.createUpdate("DELETE FROM package_files WHERE channel_id = :id").bind("id", id).execute();
      boolean deleted = h.createUpdate("DELETE FROM channels WHERE id = :id").bind("id", id).execute() > 0;
      if (deleted) {
        log(h, id, now);
      }
      return deleted;
    });
  }

  private static Channel map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Channel(
        rs.getLong("id"),
        rs.getString("name"),
        rs.getString("description"),
        Privacy.valueOf(rs.getString("privacy")),
        Instant.ofEpochMilli(rs.getLong("created_at")));
  }
}
