package io.wharf.server.web;

import io.wharf.server.pkg.StoredJson;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.wharf.conda.license.LicenseFamily;
import io.wharf.conda.pkg.Subdirs;
import io.wharf.server.auth.AuthServices;
import io.wharf.server.auth.Principal;
import io.wharf.server.catalog.CatalogService;
import io.wharf.server.catalog.Dependencies;
import io.wharf.server.catalog.PackageDetails;
import io.wharf.server.channel.Channel;
import io.wharf.server.channel.ChannelNames;
import io.wharf.server.error.WharfException;
import io.wharf.server.pkg.PackageFile;
import io.wharf.server.search.SearchHit;
import io.wharf.server.stats.DownloadTotals;
import io.wharf.server.ui.Format;
import io.wharf.server.ui.Pages;
import io.wharf.server.vuln.CveSummary;
import io.wharf.server.vuln.FileCve;
import io.wharf.server.vuln.VulnerabilityService;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Collection;
import java.util.function.Function;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;

/** Catalog pages: search results, the package page and its tabs, and license families. */
final class CatalogPages {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> TABS = Set.of("files", "dependencies", "dependants", "cves", "downloads", "badges");
  /** Files on one page of the Files tab: each row carries its whole metadata. */
  static final int FILES_PER_PAGE = 50;

  private final CatalogService catalog;
  private final AuthServices auth;
  private final PageRenderer pages;
  private final VulnerabilityService vulns;
  private final io.wharf.server.badge.BadgeService badges;
  private final DownloadTotals downloads;

  /** Which of these SHA-256s are passive mirror files (recorded, bytes fetched on first download). */
  private final Function<Collection<String>, Set<String>> passiveAmong;
  /** The fields the channel's patch instructions change in a file's published record. */
  private io.wharf.server.index.PatchSource patches = io.wharf.server.index.PatchSource.NONE;

  CatalogPages(CatalogService catalog, AuthServices auth, PageRenderer pages, VulnerabilityService vulns,
      io.wharf.server.badge.BadgeService badges, Function<Collection<String>, Set<String>> passiveAmong,
      DownloadTotals downloads) {
    this.passiveAmong = passiveAmong;
    this.downloads = downloads;
    this.catalog = catalog;
    this.badges = badges;
    this.vulns = vulns;
    this.auth = auth;
    this.pages = pages;
  }

  /** The Files tab marks the records these patch instructions change. */
  CatalogPages patchedBy(io.wharf.server.patch.PatchService patches) {
    this.patches = patches;
    return this;
  }

  void register(RoutesConfig routes) {
    routes.get("/search", this::search);
    routes.get("/channels/{channel}/packages/{name}", this::pkg);
    routes.get("/licenses", this::licenses);
  }

  private void search(Context ctx) {
    Principal who = RequestAuth.principal(ctx, auth);
    String q = param(ctx, "q");
    String channel = param(ctx, "channel");
    String platform = param(ctx, "platform");
    String family = param(ctx, "license_family");
    int page = CatalogRoutes.intParam(ctx, "page", 1);
    CatalogService.Results r = catalog.search(q, who, channel, platform, family, page,
        CatalogRoutes.DEFAULT_PAGE_SIZE);
    List<Pages.SearchRow> rows = new ArrayList<>();
    for (SearchHit h : r.page().hits()) {
      String ch = r.channels().get(h.channelId()).name();
      rows.add(new Pages.SearchRow(ch, h.name(), h.latestVersion(), h.summary(), String.join(", ", h.subdirs()),
          String.join(", ", h.licenseFamilies().stream().map(CatalogViews::familyLabel).toList()),
          h.kind().name().toLowerCase(java.util.Locale.ROOT), "/channels/" + ch + "/packages/" + h.name()));
    }
    int pageCount = (int) Math.max(1, (r.page().total() + r.page().pageSize() - 1) / r.page().pageSize());
    Map<String, String> state = new LinkedHashMap<>();
    state.put("q", q);
    state.put("channel", channel);
    state.put("platform", platform);
    state.put("license_family", family);
    List<Pages.Option> channels = r.channels().values().stream()
        .map(c -> new Pages.Option(c.name(), c.name(), c.name().equals(channel))).toList();
    List<Pages.Option> platforms = Subdirs.KNOWN.stream().map(s -> new Pages.Option(s, s, s.equals(platform)))
        .toList();
    String familySlug = LicenseFamily.fromSlugOrLabel(family).map(LicenseFamily::slug).orElse("");
    List<Pages.Option> families = java.util.Arrays.stream(LicenseFamily.values())
        .map(f -> new Pages.Option(f.slug(), f.label(), f.slug().equals(familySlug))).toList();
    pages.render(ctx, "search.jte", new Pages.SearchResults(q, rows, r.page().total(), page, pageCount,
        page > 1 ? href("/search", state, page - 1) : null,
        page < pageCount ? href("/search", state, page + 1) : null,
        channels, platforms, families));
  }

  private void pkg(Context ctx) {
    Principal who = RequestAuth.principal(ctx, auth);
    String channelName = ctx.pathParam("channel");
    String name = ctx.pathParam("name");
    String tab = TABS.contains(param(ctx, "tab")) ? param(ctx, "tab") : "files";
    PackageDetails d = catalog.details(channelName, name, who);
    Channel c = d.channel();
    String base = "/channels/" + c.name() + "/packages/" + name;
    List<Pages.Tab> tabs = List.of(
        new Pages.Tab("files", "Files (" + d.files().size() + ")", base, tab.equals("files")),
        new Pages.Tab("dependencies", "Dependencies", base + "?tab=dependencies", tab.equals("dependencies")),
        new Pages.Tab("dependants", "Dependants", base + "?tab=dependants", tab.equals("dependants")),
        new Pages.Tab("cves", "CVEs", base + "?tab=cves", tab.equals("cves")),
        new Pages.Tab("downloads", "Downloads", base + "?tab=downloads", tab.equals("downloads")),
        new Pages.Tab("badges", "Badges", base + "?tab=badges", tab.equals("badges")));
    List<Pages.FileRow> files = List.of();
    String filesNext = null;
    Long before = tab.equals("files") ? before(ctx) : null;
    if (tab.equals("files")) {
      CatalogService.FilePage page = catalog.files(c, name, before, FILES_PER_PAGE);
      Map<Long, List<FileCve>> cves = vulns.matches().forFiles(page.files().stream().map(e -> e.file().id())
          .toList());
      Set<String> passive = passiveAmong.apply(page.files().stream().map(e -> e.file().sha256()).toList());
      ToLongFunction<PackageFile> counted = DownloadViews.fileTotals(downloads, c,
          page.files().stream().map(PackageDetails.FileEntry::file).toList());
      Map<String, io.wharf.conda.repodata.PatchInstructions> bySubdir = new java.util.HashMap<>();
      Function<PackageFile, List<String>> patched = f -> List.copyOf(io.wharf.server.patch.PatchService.changedFields(
          bySubdir.computeIfAbsent(f.subdir(), s -> patches.current(c.id(), s)), f.filename(), f.recordJson()));
      files = page.files().stream().map(e -> fileRow(c, e, CveSummary.of(cves.getOrDefault(e.file().id(),
          List.of())), CveListing.fileHref(base, e.file().label(), e.file().subdir(), e.file().filename()),
          passive.contains(e.file().sha256()), counted.applyAsLong(e.file()), patched.apply(e.file())))
          .toList();
      filesNext = page.nextBeforeId().map(id -> base + "?before=" + id).orElse(null);
    }
    List<Pages.DependencyFile> deps = tab.equals("dependencies")
        ? catalog.dependencies(channelName, name, who).stream().map(this::dependencyFile).toList() : List.of();
    Pages.Dependants dependants = tab.equals("dependants")
        ? dependants(catalog.dependants(channelName, name, param(ctx, "platform"), who), param(ctx, "platform"))
        : new Pages.Dependants(d.latest().version(), List.of(), List.of());
    // A package with no file under main is not served at the channel's URL: install from its subchannel.
    List<String> labels = d.files().stream().map(e -> e.file().label()).distinct().sorted().toList();
    String onlyInLabel = labels.contains(ChannelNames.DEFAULT_LABEL) ? "" : labels.get(0);
    String url = UiRoutes.condaUrl(ctx, c, onlyInLabel.isEmpty() ? ChannelNames.DEFAULT_LABEL : onlyInLabel);
    pages.render(ctx, "package.jte", new Pages.PackagePage(c.name(), name, d.latest().version(),
        d.facts().summary(), d.facts().description(), d.facts().license(), d.facts().licenseFamily().label(),
        "/licenses#packages-" + d.facts().licenseFamily().slug(), d.facts().home(), d.facts().devUrl(),
        d.facts().docUrl(), url, "conda install -c " + url + " " + name,
        "pixi add --channel " + url + " " + name, d.versions(), String.join(", ", d.platforms()), tabs, tab,
        files, before == null ? null : base, filesNext, deps, dependants, onlyInLabel,
        tab.equals("files") ? ManageAccess.controls(ctx, auth, catalog, c, labels) : null,
        tab.equals("cves") ? cves(ctx, d, base) : null,
        DownloadViews.forPage(ctx, downloads, d, base, tab.equals("downloads")),
        tab.equals("badges") ? BadgeTabs.build(ctx, badges, c, name,
            onlyInLabel.isEmpty() ? ChannelNames.DEFAULT_LABEL : onlyInLabel) : null));
  }

  /** The CVEs tab, limited to one file of the package when the address names it ({@code file}, {@code label}). */
  private io.wharf.server.ui.CveViews.Listing cves(Context ctx, PackageDetails d, String base) {
    Map<String, String> fixed = new LinkedHashMap<>();
    fixed.put("tab", "cves");
    CveListing.OneFile one = null;
    String file = param(ctx, "file");
    if (!file.isEmpty()) {
      String[] key = CveListing.fileParam(file);
      String label = ChannelNames.requireLabel(param(ctx, "label"));
      PackageFile f = d.files().stream().map(PackageDetails.FileEntry::file)
          .filter(x -> x.label().equals(label) && x.subdir().equals(key[0]) && x.filename().equals(key[1]))
          .findFirst().orElseThrow(() -> WharfException.notFound("file_not_found", key[1] + " is not a file of "
              + d.channel().name() + "/" + d.name() + " in " + key[0]
              + (label.equals(ChannelNames.DEFAULT_LABEL) ? "" : " (label " + label + ")")));
      fixed.put("file", file);
      if (!label.equals(ChannelNames.DEFAULT_LABEL)) {
        fixed.put("label", label);
      }
      one = new CveListing.OneFile(f.id(), (label.equals(ChannelNames.DEFAULT_LABEL) ? "" : label + "/") + file);
    }
    return CveListing.build(ctx, vulns, Set.of(d.channel().id()), d.name(), base, fixed, one);
  }

  /** Where a page of the Files tab starts: before the file of this id (the newest first); null for the first page. */
  private static Long before(Context ctx) {
    String v = ctx.queryParam("before");
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw WharfException.invalid("invalid_before", "before must be a file id from the Next link");
    }
  }

  private static Pages.FileRow fileRow(Channel c, PackageDetails.FileEntry e, CveSummary cves, String cvesHref,
      boolean passive, long downloads, List<String> patched) {
    PackageFile f = e.file();
    ObjectNode meta = JSON.createObjectNode();
    meta.set("repodata_record", StoredJson.parse(f.recordJson()));
    meta.set("index.json", f.indexDocument());
    if (f.aboutJson() != null) {
      meta.set("about.json", StoredJson.parse(f.aboutJson()));
    }
    if (f.runExportsJson() != null) {
      meta.set("run_exports", StoredJson.parse(f.runExportsJson()));
    }
    return new Pages.FileRow(f.filename(), f.version(), f.subdir(), f.label(), Format.size(f.size()), f.size(),
        Format.time(f.uploadedAt()), f.sha256(), Views.downloadPath(c, f), e.facts().licenseFamily().label(),
        meta.toPrettyString(), sbomPath(c, f, "spdx"), sbomPath(c, f, "cyclonedx"), CveListing.score(cves.score()),
        cves.count(), cves.status() == null ? "" : cves.status().label(), cvesHref,
        signature(f).map(s -> s.keyId()).orElse(""), signature(f).map(s -> s.signature()).orElse(""), passive,
        downloads, patched);
  }

  private static java.util.Optional<io.wharf.server.trust.RecordSignatures.Entry> signature(PackageFile f) {
    return io.wharf.server.trust.RecordSignatures.first(f.signaturesJson());
  }

  /**
   * The file's SBOM download ({@code SbomRoutes}). Channel names, subdirs and file names are of
   * URL-safe characters (CEP 26 and the channel name rules); the template escapes the whole into the attribute.
   */
  private static String sbomPath(Channel c, PackageFile f, String format) {
    return "/api/channels/" + c.name() + "/files/" + f.subdir() + "/" + f.filename() + "/sbom?format=" + format
        + (f.label().equals(io.wharf.server.channel.ChannelNames.DEFAULT_LABEL) ? ""
            : "&label=" + java.net.URLEncoder.encode(f.label(), java.nio.charset.StandardCharsets.UTF_8));
  }

  private Pages.DependencyFile dependencyFile(Dependencies.OfFile f) {
    List<Pages.DependencyRow> rows = f.requirements().stream().map(r -> {
      String href = r.availableIn().isEmpty() ? null
          : "/channels/" + r.availableIn().get(0) + "/packages/" + r.requirement().name();
      return new Pages.DependencyRow(r.requirement().kind(), r.requirement().spec(), r.requirement().name(),
          r.requirement().virtual(), href, String.join(", ", r.availableIn()));
    }).toList();
    return new Pages.DependencyFile(f.file().filename(), f.file().subdir(), f.file().version(), rows);
  }

  private static Pages.Dependants dependants(Dependencies.Dependants d, String platform) {
    List<Pages.DependantRow> rows = d.rows().stream().map(r -> new Pages.DependantRow(r.channel().name(),
        r.file().name(), r.file().version(), r.file().build(), r.file().subdir(), r.kind(), r.spec(),
        r.admitsLatest().name().toLowerCase(java.util.Locale.ROOT),
        "/channels/" + r.channel().name() + "/packages/" + r.file().name())).toList();
    List<Pages.Option> platforms = Subdirs.KNOWN.stream()
        .map(s -> new Pages.Option(s, s, s.equals(platform))).toList();
    return new Pages.Dependants(d.latestVersion(), platforms, rows);
  }

  private void licenses(Context ctx) {
    List<Pages.LicenseRow> rows = catalog.licenses(RequestAuth.principal(ctx, auth)).stream()
        .map(g -> new Pages.LicenseRow(g.family().label(), g.family().slug(), g.family().description(),
            g.family().referenceUrl(), g.packageCount(), g.packagesByChannel().entrySet().stream()
                .map(e -> new Pages.LicenseChannel(e.getKey(), e.getValue(),
                    "/search?license_family=" + g.family().slug() + "&channel=" + e.getKey()))
                .toList()))
        .toList();
    pages.render(ctx, "licenses.jte", new Pages.Licenses(rows));
  }

  private static String param(Context ctx, String name) {
    String v = ctx.queryParam(name);
    return v == null ? "" : v.trim();
  }

  /** The same page with the same filters, on another result page: a link that can be shared. */
  private static String href(String path, Map<String, String> state, int page) {
    StringBuilder sb = new StringBuilder(path).append("?");
    state.forEach((k, v) -> {
      if (!v.isEmpty()) {
        sb.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&');
      }
    });
    return sb.append("page=").append(page).toString();
  }
}
