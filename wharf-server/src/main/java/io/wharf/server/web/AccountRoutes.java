package io.wharf.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.wharf.server.auth.AuthServices;
import io.wharf.server.auth.JdbcUsers;
import io.wharf.server.auth.Principal;
import io.wharf.server.auth.StoredToken;
import io.wharf.server.auth.TokenService;
import io.wharf.server.auth.User;
import io.wharf.server.error.WharfException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The API of accounts: who am I, users (administrators), tokens, and channel members (owners). */
final class AccountRoutes {
  private final AuthServices auth;

  AccountRoutes(AuthServices auth) {
    this.auth = auth;
  }

  void register(RouteTable api) {
    api.add(HandlerType.GET, "/api/whoami", this::whoami);
    api.add(HandlerType.GET, "/api/users", this::listUsers);
    api.add(HandlerType.POST, "/api/users", this::createUser);
    api.add(HandlerType.PATCH, "/api/users/{user}", this::updateUser);
    api.add(HandlerType.GET, "/api/tokens", this::listTokens);
    api.add(HandlerType.POST, "/api/tokens", this::createToken);
    api.add(HandlerType.DELETE, "/api/tokens/{id}", this::revokeToken);
    api.add(HandlerType.GET, "/api/channels/{channel}/members", this::listMembers);
    api.add(HandlerType.PUT, "/api/channels/{channel}/members/{user}", this::putMember);
    api.add(HandlerType.DELETE, "/api/channels/{channel}/members/{user}", this::removeMember);
  }

  private Principal who(Context ctx) {
    return RequestAuth.principal(ctx, auth);
  }

  private void whoami(Context ctx) {
    Principal p = who(ctx);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", p.isAnonymous() ? null : p.displayName());
    m.put("authenticated", p.isAuthenticated());
    m.put("admin", p.isAdmin());
    m.put("via", p.via().name().toLowerCase(java.util.Locale.ROOT));
    // for Swagger UI's try-it-out in a signed-in browser; a cross-site page cannot read this answer
    RequestAuth.session(ctx).ifPresent(s -> m.put("csrf", s.csrf()));
    ctx.json(m);
  }

  private void listUsers(Context ctx) {
    ctx.json(auth.users().list(who(ctx)).stream().map(AccountRoutes::user).toList());
  }

  private void createUser(Context ctx) {
    Principal p = who(ctx);
    io.wharf.server.auth.Authenticator.requireAdmin(p);
    JsonNode body = JsonBodies.object(ctx);
    User u = auth.users().create(p, JsonBodies.text(body, "name"), JsonBodies.text(body, "password"),
        flag(body, "admin"), flag(body, "service"));
    ctx.status(201).json(user(u));
  }

  /** {@code {"disabled": true}} disables a user at once: its sessions and tokens stop working. */
  private void updateUser(Context ctx) {
    Principal p = who(ctx);
    io.wharf.server.auth.Authenticator.requireAdmin(p);
    JsonNode body = JsonBodies.object(ctx);
    if (!body.has("disabled") || !body.get("disabled").isBoolean()) {
      throw WharfException.invalid("missing_field", "the request body needs 'disabled': true or false");
    }
    ctx.json(user(auth.users().setDisabled(p, ctx.pathParam("user"), body.get("disabled").asBoolean())));
  }

  private void listTokens(Context ctx) {
    boolean all = Boolean.parseBoolean(ctx.queryParam("all"));
    ctx.json(auth.tokens().list(who(ctx), all).stream().map(AccountRoutes::token).toList());
  }

  private void createToken(Context ctx) {
    Principal p = who(ctx);
    io.wharf.server.auth.Authenticator.requireSignedIn(p);
    JsonNode body = JsonBodies.object(ctx);
    List<String> scope = new ArrayList<>();
    JsonNode channels = body.get("channels");
    if (channels != null && !channels.isNull()) {
      if (!channels.isArray()) {
        throw WharfException.invalid("invalid_field", "'channels' must be a list of channel names");
      }
      channels.forEach(c -> scope.add(c.asText()));
    }
    JsonNode days = body.get("expires_days");
    if (days != null && !days.isNull() && !days.canConvertToInt()) {
      throw WharfException.invalid("invalid_field", "'expires_days' must be a whole number");
    }
    TokenService.Created created = auth.tokens().create(p, JsonBodies.text(body, "name"), JsonBodies.text(body, "owner"),
        scope, JsonBodies.text(body, "permission"), days == null || days.isNull() ? null : days.asInt(),
        RequestAuth.actor(ctx, auth));
    Map<String, Object> view = token(created.token());
    view.put("secret", created.secret());
    ctx.status(201).json(view);
  }

  private void revokeToken(Context ctx) {
    long id;
    try {
      id = Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw WharfException.notFound("token_not_found", "token " + ctx.pathParam("id") + " does not exist");
    }
    auth.tokens().revoke(who(ctx), id, RequestAuth.actor(ctx, auth));
    ctx.status(204);
  }

  private void listMembers(Context ctx) {
    ctx.json(auth.members().list(who(ctx), ctx.pathParam("channel")).stream().map(AccountRoutes::member).toList());
  }

  private void putMember(Context ctx) {
    Principal p = who(ctx);
    // the channel first: a caller who may not manage it learns nothing from the body's checks
    auth.channels().require(ctx.pathParam("channel"), null, p, io.wharf.server.auth.Action.MANAGE);
    JsonNode body = JsonBodies.object(ctx);
    ctx.json(member(auth.members().put(p, ctx.pathParam("channel"), ctx.pathParam("user"),
        JsonBodies.text(body, "role"), RequestAuth.actor(ctx, auth))));
  }

  private void removeMember(Context ctx) {
    auth.members().remove(who(ctx), ctx.pathParam("channel"), ctx.pathParam("user"), RequestAuth.actor(ctx, auth));
    ctx.status(204);
  }

  private static boolean flag(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return false;
    }
    if (!n.isBoolean()) {
      throw WharfException.invalid("invalid_field", "'" + field + "' must be true or false");
    }
    return n.asBoolean();
  }

  static Map<String, Object> user(User u) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", u.name());
    m.put("admin", u.admin());
    m.put("service", u.service());
    m.put("disabled", u.disabled());
    m.put("created_at", u.createdAt().toString());
    return m;
  }

  static Map<String, Object> token(StoredToken t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", t.id());
    m.put("name", t.name());
    m.put("owner", t.owner());
    m.put("prefix", t.prefix());
    m.put("permission", t.permission().label());
    m.put("scope", t.scoped() ? t.scope().stream().map(StoredToken.ScopeEntry::display).toList() : null);
    m.put("created_at", t.createdAt().toString());
    m.put("expires_at", t.expiresAt() == null ? null : t.expiresAt().toString());
    m.put("last_used_at", t.lastUsedAt() == null ? null : t.lastUsedAt().toString());
    m.put("revoked", t.revokedAt() != null);
    return m;
  }

  static Map<String, Object> member(JdbcUsers.Member mb) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("user", mb.user());
    m.put("role", mb.role().label());
    m.put("disabled", mb.disabled());
    return m;
  }
}
