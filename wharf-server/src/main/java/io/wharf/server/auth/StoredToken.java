package io.wharf.server.auth;

import java.time.Instant;
import java.util.List;

/**
 * A token as stored: never its secret, only a short prefix to tell it apart.
 *
 * @param userId null for the bootstrap administrator token
 * @param scope the channels (and labels) it is limited to; empty and {@code scoped} means nothing is left
 */
public record StoredToken(long id, Long userId, String owner, String name, String prefix, TokenPermission permission,
    boolean scoped, List<ScopeEntry> scope, Instant createdAt, Instant expiresAt, Instant lastUsedAt,
    Instant revokedAt) {
  /** One scope entry with the channel's name, for display. */
  public record ScopeEntry(long channelId, String channel, String label) {
    public String display() {
      return label == null ? channel : channel + "/" + label;
    }
  }

  public boolean usableAt(Instant now) {
    return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
  }

  public TokenGrant grant() {
    return new TokenGrant(id, permission, scoped,
        scope.stream().map(s -> new TokenGrant.Scope(s.channelId(), s.label())).toList());
  }
}
