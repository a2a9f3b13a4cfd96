package io.wharf.server.ui;

import java.util.List;

/** The models the page templates render. Plain data: every string is escaped by jte when shown. */
public final class Pages {
  private Pages() {}

  public record Crumb(String label, String href) {}

  /** A choice in a filter's select box. */
  public record Option(String value, String label, boolean selected) {}

  public record ChannelRow(String name, String description, String privacy, long packageCount, String lastUpdate) {}

  /** {@code label}: the subchannel the file was uploaded into ("main" for the channel itself). */
  public record UploadRow(String channel, String name, String filename, String label, String subdir,
      String uploaded) {}

  public record Home(List<ChannelRow> channels, List<UploadRow> recent) {}

  /**
   * {@code labels}: the subchannels other than main that hold files of the package; {@code inMain}: whether
   * the channel's own URL serves it at all.
   */
  public record PackageRow(String name, String latestVersion, String summary, String platforms, long fileCount,
      String lastUpload, List<String> labels, boolean inMain) {}

  public record LabelRow(String name, String condaUrl) {}

  /** {@code labels}: the subchannels other than main that hold files. */
  public record ChannelPage(String name, String description, String privacy, String condaUrl, String query,
      List<PackageRow> packages, int page, int pages, String prevHref, String nextHref, List<LabelRow> labels,
      boolean manageable, ManageControls manage) {}

  public record SearchRow(String channel, String name, String latestVersion, String summary, String platforms,
      String licenseFamilies, String match, String href) {}

  public record SearchResults(String query, List<SearchRow> rows, long total, int page, int pages, String prevHref,
      String nextHref, List<Option> channels, List<Option> platforms, List<Option> families) {}

  /**
   * {@code cves}: the file's CVE summary in one cell ("9.8 · 2 · Active": score, count, most severe status;
   * empty when it has none) and {@code cvesHref} the package's CVEs tab. {@code signatureKeyId} and
   * {@code signature}: the pkg_mgr key and hex signature of the file's record, empty while unsigned.
   */
  public record FileRow(String filename, String version, String subdir, String label, String size, long sizeBytes,
      String uploadedAt, String sha256, String downloadUrl, String licenseFamily, String metadataJson,
      String sbomSpdxUrl, String sbomCycloneDxUrl, String cveScore, int cveCount, String cveStatus,
      String cvesHref, String signatureKeyId, String signature, boolean passive, long downloads,
      List<String> patched) {

    public boolean signed() {
      return !signature.isEmpty();
    }

    /**
     * What the channel's patch instructions do to the published record: empty when nothing, "removed"
     * when they take it out of repodata, else the fields they change (the record shown is the stored one).
     */
    public String patchedText() {
      if (patched.isEmpty()) {
        return "";
      }
      return patched.equals(List.of("removed")) ? "removed by patch" : "patched: " + String.join(", ", patched);
    }
  }

  public record Tab(String id, String label, String href, boolean active) {}

  public record DependencyRow(String kind, String spec, String name, boolean virtual, String href,
      String availableIn) {}

  public record DependencyFile(String filename, String subdir, String version, List<DependencyRow> rows) {}

  public record DependantRow(String channel, String name, String version, String build, String subdir, String kind,
      String spec, String admits, String href) {}

  public record Dependants(String latestVersion, List<Option> platforms, List<DependantRow> rows) {}

  /**
   * {@code files}: one page of the Files tab, newest upload first; {@code filesFirstHref} and
   * {@code filesNextHref} lead to the first and the next page, null where there is none.
   * {@code cves}: the CVEs tab's listing (null on the other tabs).
   * {@code onlyInLabel}: when no file of the package is under main, the subchannel whose URL the install
   * commands use (the channel's own URL would not find it); empty otherwise.
   */
  public record PackagePage(String channel, String name, String latestVersion, String summary, String description,
      String license, String licenseFamily, String licenseFamilyHref, String home, String devUrl, String docUrl,
      String condaUrl, String installCommand, String pixiCommand, List<String> versions, String platforms,
      List<Tab> tabs, String tab, List<FileRow> files, String filesFirstHref, String filesNextHref,
      List<DependencyFile> dependencies, Dependants dependants, String onlyInLabel, ManageControls manage,
      CveViews.Listing cves, Downloads downloads, BadgeTab badges) {
    /** Metadata links that may be followed; null means show the text without a link ({@link Links}). */
    public String homeHref() {
      return Links.safeHref(home);
    }

    public String devUrlHref() {
      return Links.safeHref(devUrl);
    }

    public String docUrlHref() {
      return Links.safeHref(docUrl);
    }
  }

  public record VersionDownloads(String version, long downloads) {}

  /**
   * The package's downloads: {@code total} of all time (shown on every tab); on the Downloads tab the
   * chosen days ({@code from}, {@code to}, as typed), their {@code chart} and the totals per version (null
   * and empty on the other tabs).
   */
  public record Downloads(long total, String tabHref, String from, String to, DownloadChart chart,
      List<VersionDownloads> versions) {}

  /** How many packages of one family a channel holds, and the search that lists them. */
  public record LicenseChannel(String channel, long count, String searchHref) {}

  public record LicenseRow(String label, String slug, String description, String referenceUrl, long count,
      List<LicenseChannel> channels) {}

  public record Licenses(List<LicenseRow> families) {}

  public record ErrorPage(int status, String title, String message) {}

  /** One entry of a channel's history; {@code address} is empty for callers who may not see addresses. */
  public record HistoryRow(String time, String actor, String address, String action, String summary,
      String details) {}

  /** A page of a channel's history, newest first; {@code olderHref} leads to the next, older page. */
  public record HistoryPage(String channel, List<HistoryRow> rows, boolean showAddress, String olderHref,
      String newestHref) {}
}
