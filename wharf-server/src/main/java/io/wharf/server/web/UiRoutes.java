package io.wharf.server.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.wharf.server.auth.Authenticator;
import io.wharf.server.auth.Principal;
import io.wharf.server.channel.Channel;
import io.wharf.server.channel.ChannelService;
import io.wharf.server.catalog.CatalogService;
import io.wharf.server.catalog.FileFacts;
import io.wharf.server.catalog.Newest;
import io.wharf.server.pkg.PackageFile;
import io.wharf.server.pkg.PackageNameSummary;
import io.wharf.server.pkg.PackageService;
import io.wharf.server.ui.Format;
import io.wharf.server.ui.Pages;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Server-rendered pages: channel list, channel, package. */
final class UiRoutes {
  private static final Map<String, String> STATIC = Map.of("wharf.css", "text/css", "wharf.js", "text/javascript");

  private final ChannelService channels;
  private final PackageService packages;
  private final Authenticator auth;
  private final CatalogService catalog;
  private final PageRenderer pages;

  UiRoutes(ChannelService channels, PackageService packages, CatalogService catalog, Authenticator auth,
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
    for (Channel c : channels.list()) {
      if (!channels.mayRead(c, who)) {
        continue;
      }
      List<PackageNameSummary> names = packages.packages(c);
      String last = names.stream().map(PackageNameSummary::lastUpload).max(Comparator.naturalOrder())
          .map(Format::time).orElse("");
      rows.add(new Pages.ChannelRow(c.name(), c.description(), privacy(c), names.size(), last));
    }
    pages.render(ctx, "home.jte", new Pages.Home(rows));
  }

  private void channel(Context ctx) {
    Principal who = RequestAuth.principal(ctx, auth);
    Channel c = channels.readable(ctx.pathParam("channel"), who);
    String query = ctx.queryParam("q") == null ? "" : ctx.queryParam("q").trim();
    Map<String, List<PackageFile>> byName = packages.files(c).stream()
        .collect(Collectors.groupingBy(PackageFile::name, TreeMap::new, Collectors.toList()));
    List<String> names = new ArrayList<>(byName.keySet());
    if (!query.isEmpty()) {
      names = catalog.search(query, who, c.name(), null, null, 1, CatalogService.MAX_PAGE_SIZE).page().hits()
          .stream().map(h -> h.name()).filter(byName::containsKey).toList();
    }
    List<Pages.PackageRow> rows = new ArrayList<>();
    for (String name : names) {
      List<PackageFile> files = byName.get(name);
      files.sort(Newest.FIRST);
      PackageFile latest = files.get(0);
      String platforms = files.stream().map(PackageFile::subdir).collect(Collectors.toCollection(TreeSet::new))
          .stream().collect(Collectors.joining(", "));
      String lastUpload = files.stream().map(PackageFile::uploadedAt).max(Comparator.naturalOrder())
          .map(Format::time).orElse("");
      rows.add(new Pages.PackageRow(name, latest.version(), FileFacts.of(latest).summary(), platforms,
          files.size(), lastUpload));
    }
    pages.render(ctx, "channel.jte", new Pages.ChannelPage(c.name(), c.description(), privacy(c),
        condaUrl(ctx, c), query, rows));
  }

  private void asset(Context ctx) {
    StaticAssets.serve(ctx, "/io/wharf/server/static/", STATIC);
  }

  static String condaUrl(Context ctx, Channel c) {
    return ctx.scheme() + "://" + ctx.host() + "/conda/" + c.name();
  }

  static String privacy(Channel c) {
    return c.privacy().name().toLowerCase(Locale.ROOT);
  }
}
