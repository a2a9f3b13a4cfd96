package io.wharf.server.web;

import io.javalin.http.Context;
import io.wharf.server.error.WharfException;
import io.wharf.server.ui.CveViews;
import io.wharf.server.ui.Format;
import io.wharf.server.ui.Pages;
import io.wharf.server.vuln.CveQuery;
import io.wharf.server.vuln.CveStatus;
import io.wharf.server.vuln.CveView;
import io.wharf.server.vuln.VulnerabilityService;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The CVE listing of the pages (the instance-wide list and a package's CVEs tab): the filter form is a plain
 * GET form, so the address carries the filters and no script is needed. Dates are days (what a date input
 * sends); a "to" day is included.
 */
final class CveListing {
  static final int PAGE_SIZE = 100;
  /** Query parameters of the form, in the order links repeat them. */
  private static final List<String> FIELDS = List.of("min_score", "max_score", "name", "status", "published_from",
      "published_to", "modified_from", "modified_to", "curated_from", "curated_to");

  private CveListing() {}

  /**
   * @param path where the form submits (the page itself); {@code fixed} are parameters the page keeps
   *     (the package page's tab) and {@code packageName} limits the list to one package (null: all).
   */
  static CveViews.Listing build(Context ctx, VulnerabilityService vulns, Set<Long> channelIds, String packageName,
      String path, Map<String, String> fixed) {
    return build(ctx, vulns, channelIds, packageName, path, fixed, null);
  }

  /**
   * As above, limited to one file's links when {@code file} is given (the Files tab's CVE cell links here); its
   * parameters are then among {@code fixed}, and the listing offers a way back to every file.
   */
  static CveViews.Listing build(Context ctx, VulnerabilityService vulns, Set<Long> channelIds, String packageName,
      String path, Map<String, String> fixed, OneFile file) {
    Map<String, String> state = new LinkedHashMap<>();
    for (String f : FIELDS) {
      String v = ctx.queryParam(f);
      state.put(f, v == null ? "" : v.trim());
    }
    CveStatus status = state.get("status").isEmpty() ? null : CveStatus.parse(state.get("status"));
    CveQuery q = new CveQuery(channelIds, packageName, score(state, "min_score"), score(state, "max_score"), status,
        state.get("name").isEmpty() ? null : state.get("name"), day(state, "published_from", 0),
        day(state, "published_to", 1), day(state, "modified_from", 0), day(state, "modified_to", 1),
        day(state, "curated_from", 0), day(state, "curated_to", 1), param(ctx, "after"), PAGE_SIZE,
        file == null ? null : file.id());
    List<CveView> page = vulns.queries().list(q);
    String next = null;
    if (page.size() > PAGE_SIZE) {
      page = page.subList(0, PAGE_SIZE);
      next = href(path, fixed, state) + "after=" + enc(page.get(PAGE_SIZE - 1).id());
    }
    Map<CveStatus, Integer> counts = vulns.queries().packagesByStatus(q);
    List<Pages.Option> statuses = new ArrayList<>();
    statuses.add(new Pages.Option("", "Any status", status == null));
    for (CveStatus s : CveStatus.values()) {
      int n = counts.getOrDefault(s, 0);
      statuses.add(new Pages.Option(s.label(), s.label() + " (" + n + (n == 1 ? " package)" : " packages)"),
          s == status));
    }
    CveViews.Filters filters = new CveViews.Filters(state.get("min_score"), state.get("max_score"),
        state.get("name"), state.get("published_from"), state.get("published_to"), state.get("modified_from"),
        state.get("modified_to"), state.get("curated_from"), state.get("curated_to"), statuses);
    List<Pages.Option> hidden = fixed.entrySet().stream()
        .map(e -> new Pages.Option(e.getKey(), e.getValue(), false)).toList();
    String first = param(ctx, "after") == null ? null : href(path, fixed, state);
    Map<String, String> unfixed = new LinkedHashMap<>(fixed);
    unfixed.remove("file");
    unfixed.remove("label");
    return new CveViews.Listing(path, hidden, filters, page.stream().map(CveListing::row).toList(), first, next,
        file == null ? null : file.shown(), file == null ? null : href(path, unfixed, state));
  }

  /** A file the listing is limited to: its id, and how it is shown ({@code [label/]subdir/filename}). */
  record OneFile(long id, String shown) {}

  /**
   * The {@code file} parameter, {@code subdir/filename}: the subdir and the file name, or an invalid_file
   * refusal. A conda file name has no "/" (CEP 26), so the first "/" separates them.
   */
  static String[] fileParam(String file) {
    int slash = file.indexOf('/');
    if (slash < 1 || slash == file.length() - 1) {
      throw WharfException.invalid("invalid_file",
          "file must be subdir/filename, e.g. linux-64/zlib-1.2.13-h5eee18b_1.conda, not '" + file + "'");
    }
    return new String[] {file.substring(0, slash), file.substring(slash + 1)};
  }

  /** The CVEs tab of a package limited to this file (the Files tab's CVE cell links here). */
  static String fileHref(String packageBase, String label, String subdir, String filename) {
    return packageBase + "?tab=cves&file=" + enc(subdir + "/" + filename)
        + (label.equals(io.wharf.server.channel.ChannelNames.DEFAULT_LABEL) ? "" : "&label=" + enc(label));
  }

  static CveViews.Row row(CveView v) {
    return new CveViews.Row(v.id(), "/cves/" + enc(v.id()), v.summary() == null ? "" : v.summary(),
        score(v.score()), v.severity() == null ? "" : v.severity().toLowerCase(Locale.ROOT),
        v.status() == null ? "" : v.status().label(), Format.time(v.published()), Format.time(v.modified()),
        Format.time(v.curated()), v.files());
  }

  static String score(Double s) {
    return s == null ? "" : String.format(Locale.ROOT, "%.1f", s);
  }

  private static Double score(Map<String, String> state, String field) {
    String v = state.get(field);
    try {
      return v.isEmpty() ? null : Double.valueOf(v);
    } catch (NumberFormatException e) {
      throw WharfException.invalid("invalid_" + field, "the score must be a number such as 7.5, not '" + v + "'");
    }
  }

  /** A day as the start of that UTC day, plus {@code days} (1 for an inclusive "to"). */
  private static java.time.Instant day(Map<String, String> state, String field, int days) {
    String v = state.get(field);
    try {
      return v.isEmpty() ? null : LocalDate.parse(v).plusDays(days).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      throw WharfException.invalid("invalid_" + field, "dates are days such as 2024-01-31, not '" + v + "'");
    }
  }

  private static String param(Context ctx, String name) {
    String v = ctx.queryParam(name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  private static String href(String path, Map<String, String> fixed, Map<String, String> state) {
    StringBuilder sb = new StringBuilder(path).append('?');
    fixed.forEach((k, v) -> sb.append(k).append('=').append(enc(v)).append('&'));
    state.forEach((k, v) -> {
      if (!v.isEmpty()) {
        sb.append(k).append('=').append(enc(v)).append('&');
      }
    });
    return sb.toString();
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
