package io.wharf.server.web;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.wharf.server.auth.AuthServices;
import io.wharf.server.auth.Principal;
import io.wharf.server.catalog.CatalogService;
import io.wharf.server.catalog.PackageDetails;
import io.wharf.server.error.WharfException;
import io.wharf.server.search.SearchHit;
import io.wharf.server.stats.DownloadTotals;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** REST faces of the catalog: search, package details, dependencies, dependants, license families. */
final class CatalogRoutes {
  static final int DEFAULT_PAGE_SIZE = 20;

  private final CatalogService catalog;
  private final AuthServices auth;
  private final DownloadTotals downloads;

  CatalogRoutes(CatalogService catalog, AuthServices auth, DownloadTotals downloads) {
    this.downloads = downloads;
    this.catalog = catalog;
    this.auth = auth;
  }

  void register(RouteTable api) {
    api.add(HandlerType.GET, "/api/search", ctx -> search(ctx, ctx.queryParam("channel")));
    api.add(HandlerType.GET, "/api/channels/{channel}/search", ctx -> search(ctx, ctx.pathParam("channel")));
    api.add(HandlerType.GET, "/api/channels/{channel}/packages/{name}", this::details);
    api.add(HandlerType.GET, "/api/channels/{channel}/packages/{name}/dependencies", this::dependencies);
    api.add(HandlerType.GET, "/api/channels/{channel}/packages/{name}/dependants", this::dependants);
    api.add(HandlerType.GET, "/api/licenses", this::licenses);
  }

  private void search(Context ctx, String channel) {
    Principal who = RequestAuth.principal(ctx, auth);
    CatalogService.Results r = catalog.search(ctx.queryParam("q"), who, channel, ctx.queryParam("platform"),
        ctx.queryParam("license_family"), intParam(ctx, "page", 1), intParam(ctx, "per_page", DEFAULT_PAGE_SIZE));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("query", ctx.queryParam("q") == null ? "" : ctx.queryParam("q"));
    body.put("total", r.page().total());
    body.put("page", r.page().page());
    body.put("per_page", r.page().pageSize());
    body.put("results", r.page().hits().stream().map(h -> hit(h, r)).toList());
    ctx.json(body);
  }

  private static Map<String, Object> hit(SearchHit h, CatalogService.Results r) {
    Map<String, Object> m = new LinkedHashMap<>();
    String channel = r.channels().get(h.channelId()).name();
    m.put("channel", channel);
    m.put("name", h.name());
    m.put("latest_version", h.latestVersion());
    m.put("summary", h.summary());
    m.put("platforms", h.subdirs());
    m.put("license_families", h.licenseFamilies().stream().map(CatalogViews::familyLabel).toList());
    m.put("match", h.kind().name().toLowerCase(java.util.Locale.ROOT));
    m.put("url", "/api/channels/" + channel + "/packages/" + h.name());
    return m;
  }

  private void details(Context ctx) {
    PackageDetails d = catalog.details(ctx.pathParam("channel"), ctx.pathParam("name"),
        RequestAuth.principal(ctx, auth));
    long channelId = d.channel().id();
    ctx.json(CatalogViews.details(d, downloads.forPackage(channelId, d.name()),
        downloads.byVersion(channelId, d.name(), d.versions()), DownloadViews.fileTotals(downloads, d.channel(),
            d.files().stream().map(PackageDetails.FileEntry::file).toList())));
  }

  private void dependencies(Context ctx) {
    Principal who = RequestAuth.principal(ctx, auth);
    ctx.json(CatalogViews.dependencies(catalog.dependencies(ctx.pathParam("channel"), ctx.pathParam("name"), who)));

  }

  private void dependants(Context ctx) {
    Principal who = RequestAuth.principal(ctx, auth);
    ctx.json(CatalogViews.dependants(ctx.pathParam("channel"), ctx.pathParam("name"),
        catalog.dependants(ctx.pathParam("channel"), ctx.pathParam("name"), ctx.queryParam("platform"), who)));
  }

  private void licenses(Context ctx) {
    List<CatalogService.LicenseGroup> groups = catalog.licenses(RequestAuth.principal(ctx, auth));
    ctx.json(groups.stream().map(CatalogViews::licenseGroup).toList());
  }

  static int intParam(Context ctx, String name, int fallback) {
    String v = ctx.queryParam(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw WharfException.invalid("invalid_" + name, name + " must be a whole number");
    }
  }
}
