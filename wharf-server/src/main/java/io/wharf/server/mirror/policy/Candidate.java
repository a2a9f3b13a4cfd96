package io.wharf.server.mirror.policy;

import io.wharf.server.vuln.CveSummary;
import java.util.List;

/**
 * What a policy judges of one upstream record: its identity, the fields its filters read, and the CVE
 * summary of the file it names (see {@link CveSummary}; empty when no CVE reaches it).
 *
 * @param timestampMillis the record's {@code timestamp} in milliseconds, or null when it has none
 * @param signed whether the upstream repodata carries {@code signatures} for the record
 * @param depends the record's {@code depends} MatchSpecs (read only to include dependencies)
 */
public record Candidate(String subdir, String filename, String name, String version, String build,
    String licenseFamily, String license, Long timestampMillis, boolean signed, CveSummary cves,
    List<String> depends) {

  public Candidate {
    depends = depends == null ? List.of() : List.copyOf(depends);
  }

  /** A candidate whose dependencies do not matter. */
  public Candidate(String subdir, String filename, String name, String version, String build, String licenseFamily,
      String license, Long timestampMillis, boolean signed, CveSummary cves) {
    this(subdir, filename, name, version, build, licenseFamily, license, timestampMillis, signed, cves, List.of());
  }

  /** conda writes {@code timestamp} in milliseconds, older tools in seconds; a value below 1e11 is seconds. */
  public static Long timestampMillis(Long raw) {
    if (raw == null || raw <= 0) {
      return null;
    }
    return raw < 100_000_000_000L ? raw * 1000 : raw;
  }
}
