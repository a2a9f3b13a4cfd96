package io.wharf.server.auth;

import java.util.Map;
import java.util.Optional;

/**
 * Who is asking: nobody, a user signed in through the browser, or a token (a user's, a service
 * account's, or the bootstrap administrator token). Carries the user's roles per channel as read when
 * the request was authenticated, and the token's own limits; {@link Access} combines them.
 */
public final class Principal {
  /** How the caller proved who it is. */
  public enum Via { NONE, SESSION, TOKEN }

  public static final Principal ANONYMOUS = new Principal(null, "anonymous", false, Map.of(), null, Via.NONE);

  private final Long userId;
  private final String name;
  private final boolean admin;
  private final Map<Long, Role> roles;
  private final TokenGrant token;
  private final Via via;

  private Principal(Long userId, String name, boolean admin, Map<Long, Role> roles, TokenGrant token, Via via) {
    this.userId = userId;
    this.name = name;
    this.admin = admin;
    this.roles = Map.copyOf(roles);
    this.token = token;
    this.via = via;
  }

  /** A user signed in with a password (browser session). */
  public static Principal session(User user, Map<Long, Role> roles) {
    return new Principal(user.id(), user.name(), user.admin(), roles, null, Via.SESSION);
  }

  /** A token of this user. */
  public static Principal token(User user, Map<Long, Role> roles, TokenGrant grant) {
    return new Principal(user.id(), user.name(), user.admin(), roles, grant, Via.TOKEN);
  }

  /** The bootstrap administrator token, which belongs to no user. */
  public static Principal bootstrap(TokenGrant grant) {
    return new Principal(null, "admin", true, Map.of(), grant, Via.TOKEN);
  }

  public boolean isAnonymous() {
    return via == Via.NONE;
  }

  public boolean isAuthenticated() {
    return via != Via.NONE;
  }

  /**
   * An instance administrator acting with all of that power: signed in, or through an unscoped token with
   * the manage permission. An administrator's read token stays a read token.
   */
  public boolean isAdmin() {
    return admin && (token == null || token.instanceWide());
  }

  /** Whether the user behind this caller is an administrator, whatever the token allows. */
  public boolean ownerIsAdmin() {
    return admin;
  }

  /** Who did it, for messages and records: the user name, {@code admin} for the bootstrap token. */
  public String displayName() {
    return name;
  }

  public Optional<Long> userId() {
    return Optional.ofNullable(userId);
  }

  public Optional<Role> role(long channelId) {
    return Optional.ofNullable(roles.get(channelId));
  }

  public Optional<TokenGrant> token() {
    return Optional.ofNullable(token);
  }

  public Via via() {
    return via;
  }

  @Override
  public String toString() {
    return "Principal[" + name + ", " + via + "]";
  }
}
