package io.wharf.server.auth;

import io.wharf.server.db.Database;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Browser sessions, by the SHA-256 of their cookie value, so every node accepts the same ones. */
public final class JdbcSessions {
  /** A session row: whose it is, its CSRF token, and when it ends. */
  public record Session(String idHash, long userId, String csrf, long expiresAt) {}

  private final Jdbi jdbi;

  public JdbcSessions(Database db) {
    this.jdbi = db.jdbi();
  }

  public void create(Session s, long now) {
    jdbi.useHandle(h -> {
      // expired sessions go whenever a new one starts, so the table stays as small as the live sessions
      h.createUpdate("DELETE FROM sessions WHERE expires_at < :now").bind("now", now).execute();
      h.createUpdate("INSERT INTO sessions (id_hash, user_id, csrf, created_at, expires_at)"
              + " VALUES (:id, :u, :csrf, :now, :exp)")
          .bind("id", s.idHash()).bind("u", s.userId()).bind("csrf", s.csrf()).bind("now", now)
          .bind("exp", s.expiresAt()).execute();
    });
  }

  public Optional<Session> find(String idHash) {
    return jdbi.withHandle(h -> h.createQuery("SELECT id_hash, user_id, csrf, expires_at FROM sessions WHERE id_hash = :id")
        .bind("id", idHash)
        .map((rs, ctx) -> new Session(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getLong(4)))
        .findOne());
  }

  public void delete(String idHash) {
    jdbi.useHandle(h -> h.createUpdate("DELETE FROM sessions WHERE id_hash = :id").bind("id", idHash).execute());
  }
}
