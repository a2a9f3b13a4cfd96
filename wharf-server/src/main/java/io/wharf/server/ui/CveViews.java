package io.wharf.server.ui;

import java.util.List;

/** The models of the CVE pages: the listing (instance-wide and a package's tab) and one CVE's detail. */
public final class CveViews {
  private CveViews() {}

  /** The filter form's values as the viewer typed them, and the status choices with their package counts. */
  public record Filters(String minScore, String maxScore, String name, String publishedFrom, String publishedTo,
      String modifiedFrom, String modifiedTo, String curatedFrom, String curatedTo, List<Pages.Option> statuses) {}

  /** One listed CVE; empty strings where a fact is unknown. */
  public record Row(String id, String href, String summary, String score, String severity, String status,
      String published, String modified, String curated, int files) {}

  /**
   * {@code hidden}: form fields that keep the page's place (the package page's tab, the file filter);
   * {@code onlyFile}: the file the listing is limited to, or null, with {@code allFilesHref} dropping that limit.
   */
  public record Listing(String action, List<Pages.Option> hidden, Filters filters, List<Row> rows, String firstHref,
      String nextHref, String onlyFile, String allFilesHref) {}

  public record ListPage(Listing listing) {}

  public record Vector(String version, String vector, String score) {}

  /** {@code href}: a reference to follow, or null when it is not an http(s) address and is shown as text. */
  public record Reference(String text, String href) {}

  /**
   * An affected file the viewer may read; {@code curated} is empty when never curated; {@code curate}: the
   * viewer may curate it (its channel and label), so its row carries the form.
   */
  public record AffectedFile(String channel, String label, String subdir, String filename, String name,
      String version, String packageHref, String status, String curated, String curator, String note,
      boolean curate) {}

  public record Change(String time, String channel, String file, String status, String curator, String note) {}

  /**
   * {@code curate}: the viewer may curate at least one listed file (the table gets a Curate column);
   * {@code statuses}: the curation choices.
   */
  public record Detail(Row cve, List<String> aliases, List<Vector> vectors, List<Reference> references,
      List<AffectedFile> files, boolean curate, List<String> statuses, List<Change> history) {}
}
