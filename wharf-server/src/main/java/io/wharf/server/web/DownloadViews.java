package io.wharf.server.web;

import io.wharf.server.channel.Channel;
import io.wharf.server.pkg.PackageFile;
import io.wharf.server.stats.DownloadTotals;
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
}
