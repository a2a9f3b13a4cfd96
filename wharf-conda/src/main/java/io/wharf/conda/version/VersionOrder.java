package io.wharf.conda.version;

import java.util.Comparator;

/**
 * conda VersionOrder over version strings as they appear in records. Third-party repodata can carry
 * versions {@link Version} rejects; those sort below every valid version (among themselves by text), so
 * one odd record never breaks sorting a whole channel and the order stays total.
 */
public final class VersionOrder {
  public static final Comparator<String> COMPARATOR = VersionOrder::compare;

  private VersionOrder() {}

  public static int compare(String a, String b) {
    Version va = tryParse(a);
    Version vb = tryParse(b);
    if (va != null && vb != null) {
      return va.compareTo(vb);
    }
    if (va == null && vb == null) {
      return a.compareTo(b);
    }
    return va == null ? -1 : 1;
  }

  /**
   * The same order, parsing each distinct string once: for sorting and comparing many records of one
   * name, where the plain comparator parses both sides of every comparison. Not thread-safe; make one per
   * use.
   */
  public static Comparator<String> memoizing() {
    java.util.Map<String, java.util.Optional<Version>> parsed = new java.util.HashMap<>();
    return (a, b) -> {
      Version va = parsed.computeIfAbsent(a, s -> java.util.Optional.ofNullable(tryParse(s))).orElse(null);
      Version vb = parsed.computeIfAbsent(b, s -> java.util.Optional.ofNullable(tryParse(s))).orElse(null);
      if (va != null && vb != null) {
        return va.compareTo(vb);
      }
      if (va == null && vb == null) {
        return a.compareTo(b);
      }
      return va == null ? -1 : 1;
    };
  }

  private static Version tryParse(String s) {
    try {
      return s == null ? null : Version.parse(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
