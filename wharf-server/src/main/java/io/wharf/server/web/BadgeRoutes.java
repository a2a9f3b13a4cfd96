package io.wharf.server.web;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.wharf.server.auth.AuthServices;
import io.wharf.server.auth.Principal;
import io.wharf.server.auth.TokenPermission;
import io.wharf.server.badge.Badge;
import io.wharf.server.badge.BadgeKind;
import io.wharf.server.badge.BadgeService;
import io.wharf.server.badge.PackageFacts;
import io.wharf.server.channel.ChannelNames;
import io.wharf.server.error.WharfException;
import java.util.Optional;

/**
 * SVG badges of a package, for READMEs: {@code /badges/<channel>/<package>/<badge>.svg} for the channel's
 * main label (what {@code conda install -c <channel>} sees) and
 * {@code /badges/<channel>/label/<label>/<package>/<badge>.svg} for a subchannel, as in {@code /conda/} URLs.
 *
 * <p>A README is read by people and proxies without credentials, so a channel that is not public takes a token
 * in the query ({@code ?token=}), and only a token whose permission is {@code read}: a URL on a public page is
 * as good as published, and a write token there would be a leak of more than the badge. The browser session
 * counts too (the Badges tab previews them). Without a fitting credential, with a wrong one, or for a package
 * that does not exist, the answer is the same 404 badge, so a badge URL tells nothing about private channels.
 */
final class BadgeRoutes {
  /** Short enough that a new release shows within minutes, long enough that README views rarely reach us. */
  static final int MAX_AGE_SECONDS = 300;

  private final BadgeService badges;
  private final AuthServices auth;

  BadgeRoutes(BadgeService badges, AuthServices auth) {
    this.badges = badges;
    this.auth = auth;
  }

  /** In the route table, so openapi.json and the permission matrix must describe them. */
  void register(RouteTable routes) {
    routes.add(HandlerType.GET, "/badges/{channel}/{package}/{badge}", ctx -> badge(ctx, ChannelNames.DEFAULT_LABEL));
    routes.add(HandlerType.GET, "/badges/{channel}/label/{label}/{package}/{badge}",
        ctx -> badge(ctx, ctx.pathParam("label")));
  }

  private void badge(Context ctx, String label) {
    BadgeKind kind = BadgeKind.fromFile(ctx.pathParam("badge")).filter(badges.served()::contains)
        .orElseThrow(() -> WharfException.notFound("badge_not_found", "no such badge; the badges are "
            + String.join(", ", badges.served().stream().map(BadgeKind::file).toList())));
    // Embedding as <img> from any origin is the point: no policy of ours may stop it.
    ctx.header("Cross-Origin-Resource-Policy", "cross-origin");
    Optional<PackageFacts> facts = caller(ctx)
        .flatMap(who -> badges.facts(ctx.pathParam("channel"), label, ctx.pathParam("package"), who));
    if (facts.isEmpty()) {
      ctx.status(404).header("Cache-Control", "no-store");
      svg(ctx, badges.notFound(kind));
      return;
    }
    Badge b = badges.render(kind, facts.get());
    String etag = b.etag();
    ctx.header("ETag", etag);
    // A badge of a channel that is not public must not stay in shared caches, which do not see the token.
    ctx.header("Cache-Control", (facts.get().open() ? "public" : "private") + ", max-age=" + MAX_AGE_SECONDS);
    // No Last-Modified: the relative-date badge changes with time alone, so only the ETag validates.
    if (Conditional.notModified(ctx, etag, Long.MAX_VALUE)) {
      ctx.status(304);
      return;
    }
    svg(ctx, b);
  }

  private static void svg(Context ctx, Badge b) {
    ctx.contentType("image/svg+xml; charset=utf-8").result(b.bytes());
  }

  /**
   * Who asks, or empty when the credentials presented are not good for a badge: a {@code token} query
   * parameter must be a valid read token; else a header token or the session, as on every route.
   */
  private Optional<Principal> caller(Context ctx) {
    String token = ctx.queryParam("token");
    try {
      if (token != null) {
        Principal who = auth.authenticator().authenticate(token.trim());
        boolean readOnly = who.token().map(t -> t.permission() == TokenPermission.READ).orElse(false);
        return readOnly ? Optional.of(who) : Optional.empty();
      }
      return Optional.of(RequestAuth.principal(ctx, auth));
    } catch (WharfException e) {
      if (e.kind() == WharfException.Kind.UNAUTHORIZED) {
        return Optional.empty();
      }
      throw e;
    }
  }
}
