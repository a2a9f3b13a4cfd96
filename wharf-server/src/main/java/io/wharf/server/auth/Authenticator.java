package io.wharf.server.auth;

import io.wharf.server.error.WharfException;

/** Turns a presented token into a {@link Principal}. A token that is presented but unknown is an error, not anonymity. */
public final class Authenticator {
  private final String adminToken;

  public Authenticator(String adminToken) {
    this.adminToken = adminToken;
  }

  public Principal authenticate(String presentedToken) {
    if (presentedToken == null || presentedToken.isEmpty()) {
      return Principal.ANONYMOUS;
    }
    if (Tokens.same(presentedToken, adminToken)) {
      return Principal.ADMIN;
    }
    throw WharfException.unauthorized("the token is not valid");
  }

  public static void requireAdmin(Principal principal) {
    if (principal == Principal.ANONYMOUS) {
      throw WharfException.unauthorized("this action needs a token; pass it as 'Authorization: Bearer <token>'");
    }
    if (!principal.isAdmin()) {
      throw WharfException.forbidden("this action needs an administrator token");
    }
  }
}
