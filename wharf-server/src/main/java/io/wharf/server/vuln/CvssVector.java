package io.wharf.server.vuln;

import io.wharf.server.error.WharfException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import us.springett.cvss.Cvss;

/** One CVSS vector as published and the base score computed from it. */
public record CvssVector(String version, String vector, double baseScore) {

  /**
   * Scores the whole vector as published, as NVD does (a v4 vector carrying threat metrics such as
   * {@code E:P} scores lower than its base-only form).
   */
  public static CvssVector of(String vector) {
    Cvss cvss = vector == null ? null : Cvss.fromVector(vector.trim());
    if (cvss == null) {
      throw WharfException.invalid("bad_cvss", "not a CVSS v2, v3.x or v4.0 vector: " + vector);
    }
    return new CvssVector(versionOf(vector.trim()), vector.trim(), cvss.calculateScore().getBaseScore());
  }

  private static String versionOf(String vector) {
    if (vector.startsWith("CVSS:")) {
      int slash = vector.indexOf('/');
      return slash < 0 ? vector.substring(5) : vector.substring(5, slash);
    }
    return "2.0";
  }

  /**
   * The score shown for a CVE: v3.x first (what Anaconda's dashboard and CLI show), else v4.0, else v2;
   * within the chosen version the highest score, so that a stricter secondary source is not hidden.
   */
  public static Optional<CvssVector> best(List<CvssVector> vectors) {
    return vectors.stream()
        .max(Comparator.comparingInt((CvssVector v) -> rank(v.version())).thenComparingDouble(CvssVector::baseScore));
  }

  private static int rank(String version) {
    return switch (version) {
      case "3.1" -> 4;
      case "3.0" -> 3;
      case "4.0" -> 2;
      default -> 1;
    };
  }
}
