package io.wharf.server.vuln;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What a package file shows for its CVEs. The score is the highest among its Active and Reported CVEs;
 * when it has none of those, the highest among the rest (Disputed, Mitigated, Cleared), so a curated file
 * still shows what was judged. The status is the most severe (see {@link CveStatus}). Both are null
 * when the file has no CVE.
 */
public record CveSummary(Double score, int count, CveStatus status) {

  public static CveSummary of(List<FileCve> cves) {
    boolean anyOpen = cves.stream().anyMatch(c -> c.status().open());
    Double score = cves.stream().filter(c -> !anyOpen || c.status().open()).map(FileCve::score)
        .filter(Objects::nonNull).max(Comparator.naturalOrder()).orElse(null);
    CveStatus status = cves.stream().map(FileCve::status).min(Comparator.naturalOrder()).orElse(null);
    return new CveSummary(score, cves.size(), status);
  }
}
