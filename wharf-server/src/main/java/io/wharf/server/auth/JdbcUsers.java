package io.wharf.server.auth;

import io.wharf.server.history.Actor;
import io.wharf.server.history.jdbc.ChannelHistory;

import io.wharf.server.db.Database;
import io.wharf.server.db.DuplicateKeyException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.StatementContext;

/** Users and their channel roles. */
public final class JdbcUsers {
  private static final String COLUMNS = "id, name, password_hash, is_admin, is_service, disabled, created_at";

  /** One member of a channel. */
  public record Member(String user, Role role, boolean disabled) {}

  private final Jdbi jdbi;
  /** Counts this node's writes that change what a user's token may do (see {@link JdbcTokens#writes()}). */
  private final java.util.concurrent.atomic.AtomicLong writes = new java.util.concurrent.atomic.AtomicLong();

  public JdbcUsers(Database db) {
    this.jdbi = db.jdbi();
  }

  /** Grows with every change of a user's enabled state or channel roles made through this object. */
  public long writes() {
    return writes.get();
  }

  /** @throws DuplicateKeyException when a user of that name exists, compared without regard to case */
  public User create(String name, String passwordHash, boolean admin, boolean service, long now) {
    try {
      long id = jdbi.withHandle(h -> h.createUpdate("INSERT INTO users (name, password_hash, is_admin, is_service,"
              + " disabled, created_at) VALUES (:name, :hash, :admin, :service, 0, :now)")
          .bind("name", name).bind("hash", passwordHash).bind("admin", admin ? 1 : 0)
          .bind("service", service ? 1 : 0).bind("now", now)
          .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
      return new User(id, name, passwordHash, admin, service, false, Instant.ofEpochMilli(now));
    } catch (JdbiException e) {
      if (DuplicateKeyException.isUniqueViolation(e)) {
        throw new DuplicateKeyException("user '" + name + "' already exists", e);
      }
      throw e;
    }
  }

  public Optional<User> byName(String name) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM users WHERE lower(name) = lower(:name)")
        .bind("name", name).map(JdbcUsers::map).findOne());
  }

  public Optional<User> byId(long id) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM users WHERE id = :id")
        .bind("id", id).map(JdbcUsers::map).findOne());
  }

  public List<User> list() {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM users ORDER BY lower(name)")
        .map(JdbcUsers::map).list());
  }

  public boolean setDisabled(long id, boolean disabled) {
    try {
      return jdbi.withHandle(h -> h.createUpdate("UPDATE users SET disabled = :d WHERE id = :id")
          .bind("d", disabled ? 1 : 0).bind("id", id).execute() > 0);
    } finally {
      writes.incrementAndGet(); // after the commit: a verification that read the row before it is dropped
    }
  }

  public void setPassword(long id, String passwordHash) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE users SET password_hash = :p WHERE id = :id")
        .bind("p", passwordHash).bind("id", id).execute());
  }

  /** The user's role in each channel where it has one, by channel id. */
  public Map<Long, Role> roles(long userId) {
    return jdbi.withHandle(h -> {
      Map<Long, Role> out = new HashMap<>();
      h.createQuery("SELECT channel_id, role FROM channel_members WHERE user_id = :u").bind("u", userId)
          .map((rs, ctx) -> Map.entry(rs.getLong(1), Role.valueOf(rs.getString(2))))
          .forEach(e -> out.put(e.getKey(), e.getValue()));
      return out;
    });
  }

  public List<Member> members(long channelId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT u.name, m.role, u.disabled FROM channel_members m"
            + " JOIN users u ON u.id = m.user_id WHERE m.channel_id = :c ORDER BY lower(u.name)")
        .bind("c", channelId)
        .map((rs, ctx) -> new Member(rs.getString(1), Role.valueOf(rs.getString(2)), rs.getInt(3) != 0)).list());
  }

  /**
   * Gives the user this role in the channel, replacing any role it had there; the channel's history
   * records it as {@code actor}'s, in the same transaction.
   */
  public void putMember(long channelId, User user, Role role, Actor actor) {
    try {
      putMemberInTransaction(channelId, user, role, actor);
    } finally {
      writes.incrementAndGet();
    }
  }

  private void putMemberInTransaction(long channelId, User user, Role role, Actor actor) {
    jdbi.useTransaction(h -> {
      java.util.Optional<String> old = h.createQuery("SELECT role FROM channel_members WHERE channel_id = :c"
          + " AND user_id = :u").bind("c", channelId).bind("u", user.id()).mapTo(String.class).findOne();
      h.createUpdate("DELETE FROM channel_members WHERE channel_id = :c AND user_id = :u")
          .bind("c", channelId).bind("u", user.id()).execute();
      h.createUpdate("INSERT INTO channel_members (channel_id, user_id, role) VALUES (:c, :u, :r)")
          .bind("c", channelId).bind("u", user.id()).bind("r", role.name()).execute();
      Map<String, Object> details = new java.util.LinkedHashMap<>();
      details.put("user", user.name());
      details.put("role", role.name().toLowerCase(java.util.Locale.ROOT));
      old.ifPresent(r -> details.put("from", r.toLowerCase(java.util.Locale.ROOT)));
      ChannelHistory.record(h, channelId, actor, ChannelHistory.MEMBER_SET, details, System.currentTimeMillis());
    });
  }

  /** Takes the user's role in the channel away; false when it had none (then nothing is recorded). */
  public boolean removeMember(long channelId, User user, Actor actor) {
    try {
      return removeMemberInTransaction(channelId, user, actor);
    } finally {
      writes.incrementAndGet();
    }
  }

  private boolean removeMemberInTransaction(long channelId, User user, Actor actor) {
    return jdbi.inTransaction(h -> {
      boolean removed = h.createUpdate("DELETE FROM channel_members WHERE channel_id = :c AND user_id = :u")
          .bind("c", channelId).bind("u", user.id()).execute() > 0;
      if (removed) {
        ChannelHistory.record(h, channelId, actor, ChannelHistory.MEMBER_REMOVE, Map.of("user", user.name()),
            System.currentTimeMillis());
      }
      return removed;
    });
  }

  private static User map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new User(rs.getLong("id"), rs.getString("name"), rs.getString("password_hash"), rs.getInt("is_admin") != 0,
        rs.getInt("is_service") != 0, rs.getInt("disabled") != 0, Instant.ofEpochMilli(rs.getLong("created_at")));
  }
}
