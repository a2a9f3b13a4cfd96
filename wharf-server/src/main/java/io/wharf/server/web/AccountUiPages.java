package io.wharf.server.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.wharf.server.auth.Action;
import io.wharf.server.auth.AuthServices;
import io.wharf.server.auth.Authenticator;
import io.wharf.server.auth.Principal;
import io.wharf.server.auth.Role;
import io.wharf.server.auth.StoredToken;
import io.wharf.server.auth.TokenService;
import io.wharf.server.channel.Channel;
import io.wharf.server.channel.Privacy;
import io.wharf.server.error.WharfException;
import io.wharf.server.ui.AccountPages;
import io.wharf.server.ui.Format;
import io.wharf.server.ui.Pages;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Pages for signed-in users: their tokens, the users (administrators), a channel's settings (owners). */
final class AccountUiPages {
  private final AuthServices auth;
  private final PageRenderer pages;
  private final int defaultDays;
  private final int maxDays;

  AccountUiPages(AuthServices auth, PageRenderer pages, int defaultDays, int maxDays) {
    this.auth = auth;
    this.pages = pages;
    this.defaultDays = defaultDays;
    this.maxDays = maxDays;
  }

  void register(RoutesConfig routes) {
    routes.get("/tokens", ctx -> tokens(ctx, null, null));
    routes.post("/tokens", this::createToken);
    routes.post("/tokens/{id}/revoke", this::revokeToken);
    routes.get("/admin/users", ctx -> users(ctx, null));
    routes.post("/admin/users", this::createUser);
    routes.post("/admin/users/{user}/disable", this::disableUser);
    routes.get("/channels/{channel}/settings", ctx -> settings(ctx, null));
    routes.post("/channels/{channel}/settings", this::saveSettings);
    routes.post("/channels/{channel}/members", this::addMember);
    routes.post("/channels/{channel}/members/{user}/remove", this::removeMember);
  }

  private Principal who(Context ctx) {
    Principal p = RequestAuth.principal(ctx, auth);
    Authenticator.requireSignedIn(p);
    return p;
  }

  private void tokens(Context ctx, String secret, String error) {
    List<AccountPages.TokenRow> rows = auth.tokens().list(who(ctx), false).stream().map(AccountUiPages::row).toList();
    pages.render(ctx, "tokens.jte", new AccountPages.Tokens(rows, secret, error, defaultDays, maxDays));
  }

  private static AccountPages.TokenRow row(StoredToken t) {
    return new AccountPages.TokenRow(t.id(), t.name(), t.owner(), t.prefix(), t.permission().label(),
        t.scoped() ? String.join(", ", t.scope().stream().map(StoredToken.ScopeEntry::display).toList()) : "all",
        t.expiresAt() == null ? "never" : Format.time(t.expiresAt()),
        t.lastUsedAt() == null ? "never" : Format.time(t.lastUsedAt()), t.revokedAt() != null);
  }

  private void createToken(Context ctx) {
    Principal p = who(ctx);
    List<String> scope = Arrays.stream(String.valueOf(ctx.formParam("channels")).split(","))
        .map(String::trim).filter(s -> !s.isEmpty() && !s.equals("null")).toList();
    try {
      TokenService.Created created = auth.tokens().create(p, ctx.formParam("name"), null, scope,
          ctx.formParam("permission"), days(ctx.formParam("expires_days")), RequestAuth.actor(ctx, auth));
      tokens(ctx, created.secret(), null);
    } catch (WharfException e) {
      if (e.kind() != WharfException.Kind.INVALID && e.kind() != WharfException.Kind.NOT_FOUND) {
        throw e;
      }
      ctx.status(400);
      tokens(ctx, null, e.getMessage());
    }
  }

  private static Integer days(String v) {
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw WharfException.invalid("invalid_expiry", "the expiry must be a number of days");
    }
  }

  private void revokeToken(Context ctx) {
    long id;
    try {
      id = Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw WharfException.notFound("token_not_found", "no such token");
    }
    auth.tokens().revoke(who(ctx), id, RequestAuth.actor(ctx, auth));
    ctx.redirect("/tokens", HttpStatus.SEE_OTHER);
  }

  private void users(Context ctx, String error) {
    List<AccountPages.UserRow> rows = auth.users().list(who(ctx)).stream()
        .map(u -> new AccountPages.UserRow(u.name(), u.admin(), u.service(), u.disabled(), Format.time(u.createdAt())))
        .toList();
    pages.render(ctx, "users.jte", new AccountPages.Users(rows, error));
  }

  private void createUser(Context ctx) {
    Principal p = who(ctx);
    boolean service = "true".equals(ctx.formParam("service"));
    String password = ctx.formParam("password");
    try {
      auth.users().create(p, ctx.formParam("name"), service && (password == null || password.isEmpty()) ? null
          : password, "true".equals(ctx.formParam("admin")), service);
    } catch (WharfException e) {
      if (e.kind() != WharfException.Kind.INVALID && e.kind() != WharfException.Kind.CONFLICT) {
        throw e;
      }
      ctx.status(400);
      users(ctx, e.getMessage());
      return;
    }
    ctx.redirect("/admin/users", HttpStatus.SEE_OTHER);
  }

  private void disableUser(Context ctx) {
    auth.users().setDisabled(who(ctx), ctx.pathParam("user"), true);
    ctx.redirect("/admin/users", HttpStatus.SEE_OTHER);
  }

  private void settings(Context ctx, String error) {
    Principal p = RequestAuth.principal(ctx, auth);
    Channel c = auth.channels().require(ctx.pathParam("channel"), null, p, Action.MANAGE);
    List<AccountPages.MemberRow> members = auth.members().list(p, c.name()).stream()
        .map(m -> new AccountPages.MemberRow(m.user(), m.role().label())).toList();
    List<Pages.Option> privacy = Arrays.stream(Privacy.values()).map(v -> new Pages.Option(
        v.name().toLowerCase(Locale.ROOT), v.name().toLowerCase(Locale.ROOT), v == c.privacy())).toList();
    List<Pages.Option> roles = Arrays.stream(Role.values()).map(r -> new Pages.Option(r.label(), r.label(), false))
        .toList();
    pages.render(ctx, "channel-settings.jte", new AccountPages.ChannelSettings(c.name(), privacy, members, roles,
        error));
  }

  private void saveSettings(Context ctx) {
    Principal p = RequestAuth.principal(ctx, auth);
    Channel c = auth.channels().require(ctx.pathParam("channel"), null, p, Action.MANAGE);
    auth.channels().channels().update(c, JsonBodies.privacy(ctx.formParam("privacy")), null,
        RequestAuth.actor(ctx, auth));
    ctx.redirect("/channels/" + c.name() + "/settings", HttpStatus.SEE_OTHER);
  }

  private void addMember(Context ctx) {
    Principal p = RequestAuth.principal(ctx, auth);
    Channel c = auth.channels().require(ctx.pathParam("channel"), null, p, Action.MANAGE);
    try {
      auth.members().put(p, c.name(), ctx.formParam("user"), ctx.formParam("role"), RequestAuth.actor(ctx, auth));
    } catch (WharfException e) {
      if (e.kind() != WharfException.Kind.INVALID && e.kind() != WharfException.Kind.NOT_FOUND) {
        throw e;
      }
      ctx.status(400);
      settings(ctx, e.getMessage());
      return;
    }
    ctx.redirect("/channels/" + c.name() + "/settings", HttpStatus.SEE_OTHER);
  }

  private void removeMember(Context ctx) {
    Principal p = RequestAuth.principal(ctx, auth);
    Channel c = auth.channels().require(ctx.pathParam("channel"), null, p, Action.MANAGE);
    auth.members().remove(p, c.name(), ctx.pathParam("user"), RequestAuth.actor(ctx, auth));
    ctx.redirect("/channels/" + c.name() + "/settings", HttpStatus.SEE_OTHER);
  }
}
