package io.wharf.server.web;

import io.javalin.http.Context;
import io.wharf.server.auth.Authenticator;
import io.wharf.server.auth.Principal;
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
