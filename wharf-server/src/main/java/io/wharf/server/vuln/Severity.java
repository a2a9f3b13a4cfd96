package io.wharf.server.vuln;

/** CVSS qualitative severity bands (FIRST CVSS v3.1 specification, section 5; the same cut points in v4.0). */
public enum Severity {
  NONE, LOW, MEDIUM, HIGH, CRITICAL;

  public static Severity of(Double score) {
    if (score == null || score == 0.0) {
      return NONE;
    }
    if (score < 4.0) {
      return LOW;
    }
    if (score < 7.0) {
      return MEDIUM;
    }
    return score < 9.0 ? HIGH : CRITICAL;
  }
}
