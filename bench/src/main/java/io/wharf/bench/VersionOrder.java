package io.wharf.bench;

import io.wharf.conda.version.Version;
import java.util.Comparator;

/**
 * conda VersionOrder over version strings, as the server orders records for current_repodata: parsed
 * with {@link Version}, unparsable strings (third-party data) sort by text below every valid version.
 * Each comparison parses both sides, like the server's comparator, so the benchmark includes that cost.
 */
final class VersionOrder {
  static final Comparator<String> COMPARATOR = VersionOrder::compare;

  private VersionOrder() {}

  static int compare(String a, String b) {
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

  private static Version tryParse(String s) {
    try {
      return Version.parse(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
