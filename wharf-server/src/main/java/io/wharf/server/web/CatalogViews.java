package io.wharf.server.web;

import io.wharf.server.pkg.StoredJson;
import io.wharf.conda.license.LicenseFamily;
import io.wharf.conda.spec.Requirement;
import io.wharf.server.catalog.CatalogService;
import io.wharf.server.catalog.Dependencies;
import io.wharf.server.catalog.FileFacts;
import io.wharf.server.catalog.PackageDetails;
import io.wharf.server.pkg.PackageFile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;

/** JSON shapes of the catalog API (kept in step with openapi.json). */
final class CatalogViews {

  private CatalogViews() {}

  static String familyLabel(String slug) {
    return LicenseFamily.fromSlugOrLabel(slug).map(LicenseFamily::label).orElse(slug);
  }

  /**
   * The package with its downloads: in all, per version (every version, zeros included) and per file.
   */
  static Map<String, Object> details(PackageDetails d, long downloads, Map<String, Long> byVersion,
      ToLongFunction<PackageFile> fileDownloads) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("channel", d.channel().name());
    m.put("name", d.name());
    m.put("latest_version", d.latest().version());
    m.put("versions", d.versions());
    m.put("platforms", d.platforms());
    putFacts(m, d.facts());
    m.put("downloads", downloads);
    m.put("downloads_by_version", byVersion);
    m.put("files", d.files().stream()
        .map(e -> DownloadViews.withDownloads(file(d, e), fileDownloads.applyAsLong(e.file()))).toList());
    return m;
  }

  private static void putFacts(Map<String, Object> m, FileFacts f) {
    m.put("summary", f.summary());
    m.put("description", f.description());
    m.put("home", f.home());
    m.put("dev_url", f.devUrl());
    m.put("doc_url", f.docUrl());
    m.put("license", f.license());
    m.put("license_family", f.licenseFamily().label());
  }

  static Map<String, Object> file(PackageDetails d, PackageDetails.FileEntry e) {
    PackageFile f = e.file();
    Map<String, Object> m = Views.file(d.channel(), f);
    m.put("license", e.facts().license());
    m.put("license_family", e.facts().licenseFamily().label());
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("index_json", f.indexDocument());
    metadata.put("about_json", f.aboutJson() == null ? null : StoredJson.parse(f.aboutJson()));
    metadata.put("run_exports", f.runExportsJson() == null ? null : StoredJson.parse(f.runExportsJson()));
    m.put("metadata", metadata);
    return m;
  }

  static Map<String, Object> dependencies(List<Dependencies.OfFile> files) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("files", files.stream().map(CatalogViews::fileDependencies).toList());
    return m;
  }

  private static Map<String, Object> fileDependencies(Dependencies.OfFile f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("filename", f.file().filename());
    m.put("subdir", f.file().subdir());
    m.put("version", f.file().version());
    m.put("build", f.file().build());
    for (String kind : List.of(Requirement.DEPENDS, Requirement.CONSTRAINS)) {
      m.put(kind, f.requirements().stream().filter(r -> r.requirement().kind().equals(kind))
          .map(CatalogViews::requirement).toList());
    }
    return m;
  }

  private static Map<String, Object> requirement(Dependencies.Resolved r) {
    Requirement q = r.requirement();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("spec", q.spec());
    m.put("name", q.name());
    m.put("version_spec", q.versionSpec().orElse(null));
    m.put("build_spec", q.buildSpec().orElse(null));
    m.put("virtual", q.virtual());
    m.put("available_in", r.availableIn());
    return m;
  }

  static Map<String, Object> dependants(String channel, String name, Dependencies.Dependants d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("channel", channel);
    m.put("name", name);
    m.put("latest_version", d.latestVersion());
    m.put("latest_build", d.latestBuild());
    m.put("platform", d.platform().orElse(null));
    m.put("dependants", d.rows().stream().map(r -> {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("channel", r.channel().name());
      row.put("name", r.file().name());
      row.put("version", r.file().version());
      row.put("build", r.file().build());
      row.put("subdir", r.file().subdir());
      row.put("filename", r.file().filename());
      row.put("kind", r.kind());
      row.put("spec", r.spec());
      row.put("admits_latest", r.admitsLatest().name().toLowerCase(Locale.ROOT));
      return row;
    }).toList());
    return m;
  }

  static Map<String, Object> licenseGroup(CatalogService.LicenseGroup g) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("family", g.family().label());
    m.put("slug", g.family().slug());
    m.put("description", g.family().description());
    m.put("reference_url", g.family().referenceUrl());
    m.put("package_count", g.packageCount());
    m.put("packages_url", "/api/search?license_family=" + g.family().slug());
    Map<String, Object> channels = new LinkedHashMap<>();
    g.packagesByChannel().forEach((channel, count) -> {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("package_count", count);
      c.put("packages_url", "/api/search?license_family=" + g.family().slug() + "&channel=" + channel);
      channels.put(channel, c);
    });
    m.put("channels", channels);
    return m;
  }

}
