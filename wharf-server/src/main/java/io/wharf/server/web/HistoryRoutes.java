package io.wharf.server.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.wharf.server.auth.AuthServices;
import io.wharf.server.auth.Authenticator;
import io.wharf.server.auth.Principal;
import io.wharf.server.channel.Channel;
import io.wharf.server.channel.ChannelService;
import io.wharf.server.error.WharfException;
import io.wharf.server.history.HistoryEntry;
import io.wharf.server.history.jdbc.ChannelHistory;
import io.wharf.server.ui.Format;
import io.wharf.server.ui.HistorySummary;
import io.wharf.server.ui.Pages;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A channel's history, newest first, a page at a time: {@code GET /api/channels/{channel}/history} and
 * the page {@code /channels/{channel}/history}. Whoever may read the channel may read what was done to
 * it; client addresses are shown only to callers who may change the channel.
 */
final class HistoryRoutes {
  static final int PAGE_SIZE = 50;

  private final ChannelService channels;
  private final ChannelHistory history;
  private final AuthServices auth;
  private final PageRenderer pages;

  HistoryRoutes(ChannelService channels, ChannelHistory history, AuthServices auth, PageRenderer pages) {
    this.channels = channels;
    this.history = history;
    this.auth = auth;
    this.pages = pages;
  }

  void register(RouteTable api, RoutesConfig routes) {
    api.add(HandlerType.GET, "/api/channels/{channel}/history", this::list);
    routes.get("/channels/{channel}/history", this::page);
  }

  private void list(Context ctx) {
    Principal who = RequestAuth.principal(ctx, auth);
    Channel c = auth.channels().readable(ctx.pathParam("channel"), who);
    List<String> cursor = Paging.cursor(ctx, 1);
    int limit = Paging.limit(ctx);
    if (limit < 1 || limit > 1000) {
      throw WharfException.invalid("invalid_limit", "limit must be between 1 and 1000");
    }
    ChannelHistory.Page page = history.page(c.id(), cursor == null ? null : id(cursor.get(0)), limit);
    page.nextBeforeId().ifPresent(id -> Paging.linkNext(ctx, String.valueOf(id)));
    boolean addresses = RequestAuth.mayWrite(who, c);
    ctx.json(page.entries().stream().map(e -> view(e, addresses)).toList());
  }

  private void page(Context ctx) {
    Principal who = RequestAuth.principal(ctx, auth);
    Channel c = auth.channels().readable(ctx.pathParam("channel"), who);
    String before = ctx.queryParam("before");
    ChannelHistory.Page page = history.page(c.id(), before == null ? null : id(before), PAGE_SIZE);
    boolean addresses = RequestAuth.mayWrite(who, c);
    List<Pages.HistoryRow> rows = page.entries().stream().map(e -> new Pages.HistoryRow(Format.time(e.at()),
        e.actor(), addresses && e.address() != null ? e.address() : "", e.action(), HistorySummary.of(e),
        e.details().toString())).toList();
    String base = "/channels/" + c.name() + "/history";
    pages.render(ctx, "history.jte", new Pages.HistoryPage(c.name(), rows, addresses,
        page.nextBeforeId().map(id -> base + "?before=" + id).orElse(null), before == null ? null : base));
  }

  private static long id(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw WharfException.invalid("invalid_cursor", "'" + text + "' is not a history position");
    }
  }

  private static Map<String, Object> view(HistoryEntry e, boolean addresses) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", e.id());
    m.put("channel", e.channelName());
    m.put("at", e.at().toString());
    m.put("actor", e.actor());
    if (addresses) {
      m.put("address", e.address());
    }
    m.put("action", e.action());
    m.put("details", e.details());
    return m;
  }
}
