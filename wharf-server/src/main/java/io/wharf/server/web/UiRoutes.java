package io.wharf.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.wharf.server.auth.Authenticator;
import io.wharf.server.auth.Principal;
import io.wharf.server.channel.Channel;
import io.wharf.server.channel.ChannelService;
import io.wharf.server.catalog.Newest;
import io.wharf.server.pkg.PackageFile;
import io.wharf.server.pkg.PackageNameSummary;
import io.wharf.server.pkg.PackageService;
import io.wharf.server.ui.Format;
import io.wharf.server.ui.Pages;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Server-rendered pages: channel list, channel, package. */
final class UiRoutes {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> STATIC = Map.of("wharf.css", "text/css", "wharf.js", "text/javascript");

  private final ChannelService channels;
  private final PackageService packages;
  private final Authenticator auth;
  private final PageRenderer pages;

  UiRoutes(ChannelService channels, PackageService packages, Authenticator auth, PageRenderer pages) {
    this.channels = channels;
    this.packages = packages;
    this.auth = auth;
    this.pages = pages;
  }

  void register(RoutesConfig routes) {
    routes.get("/", this::home);
    routes.get("/channels/{channel}", this::channel);
    routes.get("/channels/{channel}/packages/{name}", this::pkg);
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
    Channel c = readable(ctx);
    Map<String, List<PackageFile>> byName = packages.files(c).stream()
        .collect(Collectors.groupingBy(PackageFile::name, java.util.TreeMap::new, Collectors.toList()));
    List<Pages.PackageRow> rows = new ArrayList<>();
    byName.forEach((name, files) -> {
      files.sort(Newest.FIRST);
      PackageFile latest = files.get(0);
      String platforms = files.stream().map(PackageFile::subdir).collect(Collectors.toCollection(TreeSet::new))
          .stream().collect(Collectors.joining(", "));
      String lastUpload = files.stream().map(PackageFile::uploadedAt).max(Comparator.naturalOrder())
          .map(Format::time).orElse("");
      rows.add(new Pages.PackageRow(name, latest.version(), about(latest, "summary"), platforms, files.size(),
          lastUpload));
    });
    pages.render(ctx, "channel.jte", new Pages.ChannelPage(c.name(), c.description(), privacy(c),
        condaUrl(ctx, c), rows));
  }

  private void pkg(Context ctx) {
    Channel c = readable(ctx);
    String name = ctx.pathParam("name");
    List<PackageFile> files = new ArrayList<>(packages.filesOf(c, name));
    files.sort(Newest.FIRST);
    PackageFile latest = files.get(0);
    List<Pages.FileRow> rows = files.stream().map(f -> new Pages.FileRow(f.filename(), f.version(), f.subdir(),
        f.label(), Format.size(f.size()), f.size(), Format.time(f.uploadedAt()), f.sha256(),
        Views.downloadPath(c, f))).toList();
    String license = about(latest, "license");
    if (license.isEmpty()) {
      license = field(latest.indexJson(), "license");
    }
    String url = condaUrl(ctx, c);
    pages.render(ctx, "package.jte", new Pages.PackagePage(c.name(), name, latest.version(),
        about(latest, "summary"), license, about(latest, "home"), url,
        "conda install -c " + url + " " + name, rows));
  }

  private void asset(Context ctx) {
    StaticAssets.serve(ctx, "/io/wharf/server/static/", STATIC);
  }

  private Channel readable(Context ctx) {
    return channels.readable(ctx.pathParam("channel"), RequestAuth.principal(ctx, auth));
  }

  private static String condaUrl(Context ctx, Channel c) {
    return ctx.scheme() + "://" + ctx.host() + "/conda/" + c.name();
  }

  private static String privacy(Channel c) {
    return c.privacy().name().toLowerCase(Locale.ROOT);
  }

  private static String about(PackageFile f, String field) {
    return f.aboutJson() == null ? "" : field(f.aboutJson(), field);
  }

  private static String field(String json, String field) {
    try {
      JsonNode n = JSON.readTree(json).get(field);
      return n == null || n.isNull() ? "" : n.isTextual() ? n.asText() : n.toString();
    } catch (IOException e) {
      return "";
    }
  }
}
