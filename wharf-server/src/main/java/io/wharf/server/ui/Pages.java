package io.wharf.server.ui;

import java.util.List;

/** The models the page templates render. Plain data: every string is escaped by jte when shown. */
public final class Pages {
  private Pages() {}

  public record Crumb(String label, String href) {}

  public record ChannelRow(String name, String description, String privacy, long packageCount, String lastUpdate) {}

  public record Home(List<ChannelRow> channels) {}

  public record PackageRow(String name, String latestVersion, String summary, String platforms, long fileCount,
      String lastUpload) {}

  public record ChannelPage(String name, String description, String privacy, String condaUrl,
      List<PackageRow> packages) {}

  public record FileRow(String filename, String version, String subdir, String label, String size, long sizeBytes,
      String uploadedAt, String sha256, String downloadUrl) {}

  public record PackagePage(String channel, String name, String latestVersion, String summary, String license,
      String home, String condaUrl, String installCommand, List<FileRow> files) {}

  public record ErrorPage(int status, String title, String message) {}
}
