package io.wharf.server.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.wharf.server.auth.AuthServices;
import io.wharf.server.auth.Authenticator;
import io.wharf.server.auth.Tokens;
import io.wharf.server.error.WharfException;
import io.wharf.server.ui.AccountPages;
import io.wharf.server.ui.Viewer;

/**
 * Signing in and out in the browser. The session cookie is HttpOnly, SameSite=Lax, and Secure whenever
 * Wharf is reached over https. The sign-in form carries a CSRF token whose twin is in a short cookie
 * (double submit), so another site cannot sign a browser into an account of its choosing.
 */
final class SessionPages {
  static final String SIGNIN_CSRF_COOKIE = "wharf_signin";

  private final AuthServices auth;
  private final PageRenderer pages;

  SessionPages(AuthServices auth, PageRenderer pages) {
    this.auth = auth;
    this.pages = pages;
  }

  void register(RoutesConfig routes) {
    routes.get("/signin", this::form);
    routes.post("/signin", this::signIn);
    routes.post("/signout", this::signOut);
  }

  private void form(Context ctx) {
    show(ctx, 200, null, next(ctx.queryParam("next")), "");
  }

  private void show(Context ctx, int status, String error, String next, String user) {
    String csrf = Tokens.generate("wc-");
    setCookie(ctx, SIGNIN_CSRF_COOKIE, csrf, 600, "Strict");
    ctx.status(status);
    pages.render(ctx, "signin.jte", new AccountPages.SignIn(error, next, csrf, user), Viewer.NOBODY);
  }

  private void signIn(Context ctx) {
    String next = next(ctx.formParam("next"));
    String user = ctx.formParam("username");
    if (!Tokens.same(ctx.formParam("csrf"), ctx.cookie(SIGNIN_CSRF_COOKIE))) {
      throw new WharfException(WharfException.Kind.FORBIDDEN, "csrf_failed",
          "the sign-in form has expired; load the page again", null);
    }
    Authenticator.SignedIn in;
    try {
      in = auth.authenticator().signIn(user, ctx.formParam("password"), ctx.req().getRemoteAddr());
    } catch (WharfException e) {
      if (e.kind() != WharfException.Kind.UNAUTHORIZED) {
        throw e; // 429 with Retry-After
      }
      show(ctx, 401, e.getMessage(), next, user == null ? "" : user);
      return;
    }
    setCookie(ctx, RequestAuth.SESSION_COOKIE, in.cookie(), Authenticator.SESSION_MILLIS / 1000, "Lax");
    setCookie(ctx, SIGNIN_CSRF_COOKIE, "", 0, "Strict");
    ctx.redirect(next, io.javalin.http.HttpStatus.SEE_OTHER);
  }

  private void signOut(Context ctx) {
    // principal() refuses a cookie-signed POST without the session's CSRF token
    RequestAuth.principal(ctx, auth);
    auth.authenticator().signOut(ctx.cookie(RequestAuth.SESSION_COOKIE));
    RequestAuth.forget(ctx);
    setCookie(ctx, RequestAuth.SESSION_COOKIE, "", 0, "Lax");
    ctx.redirect("/", io.javalin.http.HttpStatus.SEE_OTHER);
  }

  /** Only a path on this server, so the form cannot be used to send a signed-in user elsewhere. */
  private static String next(String next) {
    if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) {
      return "/";
    }
    return next;
  }

  private static void setCookie(Context ctx, String name, String value, long maxAgeSeconds, String sameSite) {
    boolean secure = ctx.req().isSecure() || PublicUrls.origin(ctx).startsWith("https:");
    ctx.res().addHeader("Set-Cookie", name + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds + "; HttpOnly;"
        + " SameSite=" + sameSite + (secure ? "; Secure" : ""));
  }
}
