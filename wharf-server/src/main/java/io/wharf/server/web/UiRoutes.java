package io.wharf.server.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.wharf.server.auth.AuthServices;
import io.wharf.server.auth.Principal;
import io.wharf.server.channel.Channel;
import io.wharf.server.channel.ChannelNames;
import io.wharf.server.channel.ChannelService;
import io.wharf.server.catalog.CatalogService;
import io.wharf.server.pkg.PackageService;
import io.wharf.server.search.ChannelSummary;
import io.wharf.server.search.SearchHit;
import io.wharf.server.search.SearchPage;
import io.wharf.server.ui.Format;
import io.wharf.server.ui.Pages;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Server-rendered pages: channel list, channel, package. */
final class UiRoutes {
  private static final Map<String, String> STATIC = Map.of("wharf.css", "text/css", "wharf.js", "text/javascript",
      "manage.js", "text/javascript", "jobs.js", "text/javascript");

  static final int RECENT_UPLOADS = 10;

  private final ChannelService channels;
  private final PackageService packages;
  private final AuthServices auth;
  private final CatalogService catalog;
  private final PageRenderer pages;

  UiRoutes(ChannelService channels, PackageService packages, CatalogService catalog, AuthServices auth,
      PageRenderer pages) {
    this.channels = channels;
    this.catalog = catalog;
    this.packages = packages;
    this.auth = auth;
    this.pages = pages;
  }

  void register(RoutesConfig routes) {
    routes.get("/", this::home);
    routes.get("/channels/{channel}", this::channel);
    routes.get("/static/{file}", this::asset);
  }

  private void home(Context ctx) {
    Principal who = RequestAuth.principal(ctx, auth);
    List<Pages.ChannelRow> rows = new ArrayList<>();
    // Counts come from the search index (one row per package name), in one query for all channels.
    Map<Long, Channel> readable = catalog.readable(who);
    Map<Long, ChannelSummary> summaries = catalog.summaries(readable.values());
    for (Channel c : readable.values()) {
      ChannelSummary s = summaries.get(c.id());
      rows.add(new Pages.ChannelRow(c.name(), c.description(), privacy(c), s == null ? 0 : s.packageCount(),
          s == null ? "" : Format.time(s.lastUpload())));
    }
    List<Pages.UploadRow> recent = packages.recent(readable.values(), RECENT_UPLOADS).stream()
        .map(f -> new Pages.UploadRow(readable.get(f.channelId()).name(), f.name(), f.filename(), f.label(),
            f.subdir(), Format.time(f.uploadedAt())))
        .toList();
    pages.render(ctx, "home.jte", new Pages.Home(rows, recent));
  }

  /** The channel's packages come from the search index (one row per name), not from every file row. */
  private void channel(Context ctx) {
    Principal who = RequestAuth.principal(ctx, auth);
    Channel c = auth.channels().readable(ctx.pathParam("channel"), who);
    String query = ctx.queryParam("q") == null ? "" : ctx.queryParam("q").trim();
    int page = CatalogRoutes.intParam(ctx, "page", 1);
    SearchPage result = catalog.search(query, who, c.name(), null, null, page, CatalogService.MAX_PAGE_SIZE).page();
    // Labels for this page of names only: a package that lives only in a subchannel says so.
    Map<String, List<String>> labelsByName = packages.labelsByName(c,
        result.hits().stream().map(SearchHit::name).toList());
    List<Pages.PackageRow> rows = result.hits().stream().map(h -> {
      List<String> labels = labelsByName.getOrDefault(h.name(), List.of());
      return new Pages.PackageRow(h.name(), h.latestVersion(), h.summary(), String.join(", ", h.subdirs()),
          h.fileCount(), Format.time(h.updatedAt()),
          labels.stream().filter(l -> !l.equals(ChannelNames.DEFAULT_LABEL)).toList(),
          labels.contains(ChannelNames.DEFAULT_LABEL));
    }).toList();
    int pages = (int) Math.max(1, (result.total() + result.pageSize() - 1) / result.pageSize());
    List<Pages.LabelRow> labels = packages.labels(c).stream()
        .filter(l -> !l.equals(ChannelNames.DEFAULT_LABEL))
        .map(l -> new Pages.LabelRow(l, origin(ctx) + Views.condaPath(c, l))).toList();
    String base = "/channels/" + c.name() + "?" + (query.isEmpty() ? "" : "q=" + java.net.URLEncoder.encode(query,
        java.nio.charset.StandardCharsets.UTF_8) + "&") + "page=";
    this.pages.render(ctx, "channel.jte", new Pages.ChannelPage(c.name(), c.description(), privacy(c),
        condaUrl(ctx, c), query, rows, page, pages, page > 1 ? base + (page - 1) : null,
        page < pages ? base + (page + 1) : null, labels,
        io.wharf.server.auth.Access.allowed(who, c, io.wharf.server.auth.Action.MANAGE),
        ManageAccess.controls(ctx, auth, catalog, c, labels.stream().map(Pages.LabelRow::name).toList())));
  }

  private void asset(Context ctx) {
    StaticAssets.serve(ctx, "/io/wharf/server/static/", STATIC);
  }

  static String condaUrl(Context ctx, Channel c) {
    return condaUrl(ctx, c, ChannelNames.DEFAULT_LABEL);
  }

  static String condaUrl(Context ctx, Channel c, String label) {
    return origin(ctx) + Views.condaPath(c, label);
  }

  private static String origin(Context ctx) {
    return PublicUrls.origin(ctx); // never the request's Host header
  }

  static String privacy(Channel c) {
    return c.privacy().name().toLowerCase(Locale.ROOT);
  }
}
