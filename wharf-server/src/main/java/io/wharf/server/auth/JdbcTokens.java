package io.wharf.server.auth;

import io.wharf.server.history.Actor;
import io.wharf.server.history.jdbc.ChannelHistory;

import io.wharf.server.db.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Tokens, stored as SHA-256 hashes of their secrets, with their scopes. */
public final class JdbcTokens {
  private static final String SELECT = "SELECT t.id, t.user_id, u.name AS owner, t.name, t.prefix, t.permission,"
      + " t.scoped, t.created_at, t.expires_at, t.last_used_at, t.revoked_at"
      + " FROM api_tokens t LEFT JOIN users u ON u.id = t.user_id";

  private final Jdbi jdbi;
  /** Counts this node's writes that can end a token's use, so that a cache of verified tokens can drop them at once. */
  private final java.util.concurrent.atomic.AtomicLong writes = new java.util.concurrent.atomic.AtomicLong();

  public JdbcTokens(Database db) {
    this.jdbi = db.jdbi();
  }

  /** Grows with every revocation or bootstrap replacement made through this object. */
  public long writes() {
    return writes.get();
  }

  /** A new token; scope entries name channels by id. Returns its id. */
  public long create(Long userId, String name, String prefix, String secretHash, TokenPermission permission,
      List<TokenGrant.Scope> scope, long now, Long expiresAt) {
    return create(userId, name, prefix, secretHash, permission, scope, now, expiresAt, Actor.SYSTEM);
  }

  /** As above; each channel in the scope records the creation in its history as {@code actor}'s. */
  public long create(Long userId, String name, String prefix, String secretHash, TokenPermission permission,
      List<TokenGrant.Scope> scope, long now, Long expiresAt, Actor actor) {
    return jdbi.inTransaction(h -> {
      long id = insert(h, userId, name, prefix, secretHash, permission, scope, now, expiresAt);
      recordInScope(h, id, name, permission.name(), scope, ChannelHistory.TOKEN_CREATE, actor, now);
      return id;
    });
  }

  private static void recordInScope(Handle h, long id, String name, String permission, List<TokenGrant.Scope> scope,
      String action, Actor actor, long now) {
    java.util.Map<Long, List<String>> labels = new java.util.LinkedHashMap<>();
    for (TokenGrant.Scope s : scope) {
      labels.computeIfAbsent(s.channelId(), k -> new java.util.ArrayList<>()).add(s.label());
    }
    labels.forEach((channelId, ls) -> {
      java.util.Map<String, Object> details = new java.util.LinkedHashMap<>();
      details.put("token", id);
      details.put("name", name);
      details.put("permission", permission.toLowerCase(java.util.Locale.ROOT));
      if (!ls.contains(null)) {
        details.put("labels", ls);
      }
      ChannelHistory.record(h, channelId, actor, action, details, now);
    });
  }

  private static long insert(Handle h, Long userId, String name, String prefix, String secretHash,
      TokenPermission permission, List<TokenGrant.Scope> scope, long now, Long expiresAt) {
    long id = h.createUpdate("INSERT INTO api_tokens (user_id, name, prefix, secret_hash, permission, scoped,"
            + " created_at, expires_at) VALUES (:u, :n, :p, :h, :perm, :scoped, :now, :exp)")
        .bind("u", userId).bind("n", name).bind("p", prefix).bind("h", secretHash)
        .bind("perm", permission.name()).bind("scoped", scope.isEmpty() ? 0 : 1).bind("now", now)
        .bind("exp", expiresAt).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    for (TokenGrant.Scope s : scope) {
      h.createUpdate("INSERT INTO token_scopes (token_id, channel_id, label) VALUES (:t, :c, :l)")
          .bind("t", id).bind("c", s.channelId()).bind("l", s.label()).execute();
    }
    return id;
  }

  /** The token with this secret hash, revoked or not. */
  public Optional<StoredToken> byHash(String secretHash) {
    return jdbi.withHandle(h -> withScopes(h, h.createQuery(SELECT + " WHERE t.secret_hash = :h")
        .bind("h", secretHash).map(JdbcTokens::map).list())).stream().findFirst();
  }

  public Optional<StoredToken> byId(long id) {
    return jdbi.withHandle(h -> withScopes(h, h.createQuery(SELECT + " WHERE t.id = :id")
        .bind("id", id).map(JdbcTokens::map).list())).stream().findFirst();
  }

  /** Tokens of one user, or every token when {@code userId} is null; newest first. */
  public List<StoredToken> list(Long userId) {
    return jdbi.withHandle(h -> withScopes(h, (userId == null
        ? h.createQuery(SELECT + " ORDER BY t.id DESC")
        : h.createQuery(SELECT + " WHERE t.user_id = :u ORDER BY t.id DESC").bind("u", userId))
        .map(JdbcTokens::map).list()));
  }

  public boolean revoke(long id, long now) {
    return revoke(id, now, Actor.SYSTEM);
  }

  /** Revokes the token; each channel in its scope records that in its history as {@code actor}'s. */
  public boolean revoke(long id, long now, Actor actor) {
    try {
      return revokeInTransaction(id, now, actor);
    } finally {
      writes.incrementAndGet(); // after the commit: a verification that read the row before it is dropped
    }
  }

  private boolean revokeInTransaction(long id, long now, Actor actor) {
    return jdbi.inTransaction(h -> {
      boolean revoked = h.createUpdate("UPDATE api_tokens SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL")
          .bind("now", now).bind("id", id).execute() > 0;
      if (revoked) {
        StoredToken t = withScopes(h, h.createQuery(SELECT + " WHERE t.id = :id").bind("id", id)
            .map(JdbcTokens::map).list()).get(0);
        recordInScope(h, id, t.name(), t.permission().name(), t.scope().stream()
            .map(e -> new TokenGrant.Scope(e.channelId(), e.label())).toList(), ChannelHistory.TOKEN_REVOKE, actor, now);
      }
      return revoked;
    });
  }

  public void touch(long id, long now) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE api_tokens SET last_used_at = :now WHERE id = :id")
        .bind("now", now).bind("id", id).execute());
  }

  public boolean hasBootstrap() {
    return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM api_tokens WHERE user_id IS NULL")
        .mapTo(Long.class).one()) > 0;
  }

  /** Makes this the one bootstrap administrator token (the one a configured token replaces). */
  public void replaceBootstrap(String secretHash, String prefix, long now) {
    jdbi.useTransaction(h -> {
      h.createUpdate("DELETE FROM api_tokens WHERE user_id IS NULL").execute();
      insert(h, null, "bootstrap administrator token", prefix, secretHash, TokenPermission.MANAGE, List.of(), now,
          null);
    });
    writes.incrementAndGet();
  }

  private static List<StoredToken> withScopes(Handle h, List<StoredToken> tokens) {
    if (tokens.isEmpty()) {
      return tokens;
    }
    Map<Long, List<StoredToken.ScopeEntry>> scopes = new HashMap<>();
    List<Long> ids = tokens.stream().filter(StoredToken::scoped).map(StoredToken::id).toList();
    if (!ids.isEmpty()) {
      h.createQuery("SELECT s.token_id, s.channel_id, c.name, s.label FROM token_scopes s"
              + " JOIN channels c ON c.id = s.channel_id WHERE s.token_id IN (<ids>) ORDER BY c.name, s.label")
          .bindList("ids", ids)
          .map((rs, ctx) -> Map.entry(rs.getLong(1),
              new StoredToken.ScopeEntry(rs.getLong(2), rs.getString(3), rs.getString(4))))
          .forEach(e -> scopes.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
    }
    return tokens.stream().map(t -> new StoredToken(t.id(), t.userId(), t.owner(), t.name(), t.prefix(),
        t.permission(), t.scoped(), scopes.getOrDefault(t.id(), List.of()), t.createdAt(), t.expiresAt(),
        t.lastUsedAt(), t.revokedAt())).toList();
  }

  private static StoredToken map(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws SQLException {
    long userId = rs.getLong("user_id");
    Long user = rs.wasNull() ? null : userId;
    return new StoredToken(rs.getLong("id"), user, user == null ? "admin" : rs.getString("owner"),
        rs.getString("name"), rs.getString("prefix"), TokenPermission.valueOf(rs.getString("permission")),
        rs.getInt("scoped") != 0, List.of(), Instant.ofEpochMilli(rs.getLong("created_at")),
        instant(rs, "expires_at"), instant(rs, "last_used_at"), instant(rs, "revoked_at"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }
}
