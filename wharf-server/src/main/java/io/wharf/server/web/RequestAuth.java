package io.wharf.server.web;

import io.javalin.http.Context;
import io.wharf.server.auth.Authenticator;
import io.wharf.server.auth.Principal;
import io.wharf.server.history.Actor;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Finds the token a request presents: {@code /t/<token>/} in the path (conda), {@code Authorization:
 * Bearer} (rattler, mamba, the CLI), HTTP Basic with the token as password (conda's user:pass URLs), or
 * {@code X-API-Key}.
 */
final class RequestAuth {
  static final String PATH_TOKEN = "wharf.pathToken";

  private RequestAuth() {}

  static Principal principal(Context ctx, Authenticator auth) {
    return auth.authenticate(token(ctx));
  }

  /**
   * Refuses the request unless its caller may change the channel's files (upload, delete, copy, move,
   * remove). Today that is the administrator token; when users and roles arrive, this is the one place
   * that asks them.
   */
  static Principal requireWrite(Context ctx, Authenticator auth, String channel) {
    Principal who = principal(ctx, auth);
    Authenticator.requireAdmin(who);
    return who;
  }

  /** Whether this caller may change channels' files; what {@link #requireWrite} asks, without refusing. */
  static boolean mayWrite(Principal who) {
    return who.isAdmin();
  }

  /** Who made the request and from where, as the channel history records it. */
  static Actor actor(Context ctx, Authenticator auth) {
    Principal who = principal(ctx, auth);
    return new Actor(who.isAdmin() ? "admin" : "anonymous", PublicUrls.clientAddress(ctx));
  }

  static String token(Context ctx) {
    Object pathToken = ctx.attribute(PATH_TOKEN);
    if (pathToken != null) {
      return pathToken.toString();
    }
    String header = ctx.header("Authorization");
    if (header != null) {
      String h = header.trim();
      if (h.regionMatches(true, 0, "Bearer ", 0, 7)) {
        return h.substring(7).trim();
      }
      if (h.regionMatches(true, 0, "Basic ", 0, 6)) {
        return basicPassword(h.substring(6).trim());
      }
    }
    String apiKey = ctx.header("X-API-Key");
    return apiKey == null ? null : apiKey.trim();
  }

  private static String basicPassword(String encoded) {
    try {
      String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return colon < 0 ? decoded : decoded.substring(colon + 1);
    } catch (IllegalArgumentException e) {
      return encoded; // undecodable credentials must fail authentication, not pass as anonymous
    }
  }
}
