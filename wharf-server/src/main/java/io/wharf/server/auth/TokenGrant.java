package io.wharf.server.auth;

import java.util.List;

/**
 * What the token a request presented allows: a permission and, when {@code scoped}, the channels (or
 * channel subchannels) it reaches. A scoped token whose channels were all deleted reaches nothing.
 */
public record TokenGrant(long tokenId, TokenPermission permission, boolean scoped, List<Scope> scope) {
  /** One channel, or one label of it when {@code label} is not null. */
  public record Scope(long channelId, String label) {}

  public TokenGrant {
    scope = List.copyOf(scope);
  }

  /** Whether this token may do {@code action} on the channel (label null: the channel as a whole). */
  public boolean allows(long channelId, String label, Action action) {
    if (!permission.allows(action)) {
      return false;
    }
    if (!scoped) {
      return true;
    }
    for (Scope s : scope) {
      if (s.channelId() == channelId && (s.label() == null || s.label().equals(label))) {
        return true;
      }
    }
    return false;
  }

  /** Unscoped tokens with the manage permission act with all of their owner's instance-wide rights. */
  public boolean instanceWide() {
    return !scoped && permission == TokenPermission.MANAGE;
  }
}
