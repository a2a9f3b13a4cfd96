package io.wharf.server.web;

import io.javalin.http.Context;
import io.wharf.server.auth.AuthServices;
import io.wharf.server.auth.Authenticator;
import io.wharf.server.auth.JdbcSessions;
import io.wharf.server.auth.Principal;
import io.wharf.server.history.Actor;
import io.wharf.server.auth.Tokens;
import io.wharf.server.error.WharfException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * Who a request comes from. A token is looked for in {@code /t/<token>/} in the path (conda),
 * {@code Authorization: Bearer} (rattler, mamba, the CLI), HTTP Basic with the token as password (conda's
 * user:pass URLs), or {@code X-API-Key}; without one, the browser session cookie counts. A request that
 * relies on the cookie and changes something must carry the session's CSRF token (form field
 * {@code csrf} or header {@code X-CSRF-Token}): a cookie is sent by the browser whoever made the page
 * that sends the request, a token header is not.
 */
final class RequestAuth {
  static final String PATH_TOKEN = "wharf.pathToken";
  static final String SESSION_COOKIE = "wharf_session";
  static final String CSRF_HEADER = "X-CSRF-Token";
  static final String CSRF_FIELD = "csrf";
  private static final String PRINCIPAL = "wharf.principal";
  private static final String SESSION = "wharf.session";
  private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

  private RequestAuth() {}

  static Principal principal(Context ctx, AuthServices auth) {
    Principal cached = ctx.attribute(PRINCIPAL);
    if (cached != null) {
      return cached;
    }
    Principal who = resolve(ctx, auth.authenticator());
    ctx.attribute(PRINCIPAL, who);
    return who;
  }

  private static Principal resolve(Context ctx, Authenticator auth) {
    String token = token(ctx);
    if (token != null) {
      return auth.authenticate(token);
    }
    Optional<Authenticator.SessionAuth> session = auth.session(ctx.cookie(SESSION_COOKIE));
    if (session.isEmpty()) {
      return Principal.ANONYMOUS;
    }
    if (!SAFE.contains(ctx.method().name()) && !csrfMatches(ctx, session.get().session().csrf())) {
      throw new WharfException(WharfException.Kind.FORBIDDEN, "csrf_failed", "this request is signed in by cookie"
          + " and must carry the session's CSRF token (form field 'csrf' or header 'X-CSRF-Token')", null);
    }
    ctx.attribute(SESSION, session.get().session());
    return session.get().principal();
  }

  /** The session of a request that {@link #principal} found signed in by cookie. */
  static Optional<JdbcSessions.Session> session(Context ctx) {
    return Optional.ofNullable(ctx.attribute(SESSION));
  }

  /** The viewer of a page, from what {@link #principal} found; nobody when it was not asked. */
  static io.wharf.server.ui.Viewer viewer(Context ctx) {
    Principal who = ctx.attribute(PRINCIPAL);
    if (who == null || who.isAnonymous()) {
      return io.wharf.server.ui.Viewer.NOBODY;
    }
    return new io.wharf.server.ui.Viewer(who.displayName(), who.isAdmin(),
        session(ctx).map(JdbcSessions.Session::csrf).orElse(null));
  }

  /** Forgets who the request came from, once it signed in or out. */
  static void forget(Context ctx) {
    ctx.attribute(PRINCIPAL, null);
    ctx.attribute(SESSION, null);
  }

  private static boolean csrfMatches(Context ctx, String expected) {
    String presented = ctx.header(CSRF_HEADER);
    if (presented == null) {
      String type = ctx.contentType();
      if (type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
        presented = ctx.formParam(CSRF_FIELD);
      }
    }
    return Tokens.same(presented, expected);
  }

  /**
   * The channel of a change to its files (upload, delete, copy, move, remove, import), when the caller
   * may write to it (label null: the whole channel); refused as {@link io.wharf.server.auth.ChannelAccess}
   * refuses, so a channel the caller cannot read looks missing.
   */
  static io.wharf.server.channel.Channel requireWrite(Context ctx, AuthServices auth, String channel, String label) {
    return auth.channels().require(channel, label, principal(ctx, auth), io.wharf.server.auth.Action.WRITE);
  }

  /** Whether this caller may change the channel's files; what {@link #requireWrite} asks, without refusing. */
  static boolean mayWrite(Principal who, io.wharf.server.channel.Channel channel) {
    return io.wharf.server.auth.Access.allowed(who, channel, null, io.wharf.server.auth.Action.WRITE);
  }

  /** Who the channel's history names for this request's change, and from which address. */
  static Actor actor(Context ctx, AuthServices auth) {
    return new Actor(principal(ctx, auth).displayName(), PublicUrls.clientAddress(ctx));
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
