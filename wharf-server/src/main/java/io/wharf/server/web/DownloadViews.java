package io.wharf.server.web;

import io.javalin.http.Context;
import io.wharf.server.catalog.PackageDetails;
import io.wharf.server.channel.Channel;
import io.wharf.server.pkg.PackageFile;
import io.wharf.server.stats.DownloadTotals;
import io.wharf.server.ui.DownloadChart;
import io.wharf.server.ui.Pages;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/** Download totals next to the files and packages the API and pages show. */
final class DownloadViews {
  private DownloadViews() {}

  static DownloadTotals.FileRef ref(PackageFile f) {
    return new DownloadTotals.FileRef(f.label(), f.subdir(), f.filename());
  }

  /** The stored totals of these files of {@code c}, read in one query. */
  static ToLongFunction<PackageFile> fileTotals(DownloadTotals totals, Channel c, List<PackageFile> files) {
    Map<DownloadTotals.FileRef, Long> counted = totals.forFiles(c.id(), files.stream().map(DownloadViews::ref).toList());
    return f -> counted.getOrDefault(ref(f), 0L);
  }

  static Map<String, Object> withDownloads(Map<String, Object> fileJson, long downloads) {
    fileJson.put("downloads", downloads);
    return fileJson;
  }

  /**
   * The package page's downloads: the total always, and on the Downloads tab the chart of the days the
   * {@code from} and {@code to} parameters name (the last 30 by default) and the totals per version.
   */
  static Pages.Downloads forPage(Context ctx, DownloadTotals totals, PackageDetails d, String base, boolean tab) {
    long channelId = d.channel().id();
    long total = totals.forPackage(channelId, d.name());
    String tabHref = base + "?tab=downloads";
    if (!tab) {
      return new Pages.Downloads(total, tabHref, "", "", null, List.of());
    }
    DownloadRoutes.Range r = DownloadRoutes.range(ctx.queryParam("from"), ctx.queryParam("to"),
        LocalDate.now(ZoneOffset.UTC));
    DownloadChart chart = DownloadChart.of(totals.daily(channelId, d.name(), r.from(), r.to()).stream()
        .map(x -> new DownloadChart.Day(x.date(), x.downloads())).toList());
    List<Pages.VersionDownloads> versions = totals.byVersion(channelId, d.name(), d.versions()).entrySet().stream()
        .map(e -> new Pages.VersionDownloads(e.getKey(), e.getValue())).toList();
    return new Pages.Downloads(total, tabHref, r.from().toString(), r.to().toString(), chart, versions);
  }
}
