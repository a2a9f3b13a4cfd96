package io.wharf.server.index;

import io.wharf.conda.version.Version;
import java.util.Comparator;

/** conda VersionOrder for strings read from records; unparsable versions (third-party data) sort by text, below valid ones. */
public final class VersionOrder {
  public static final Comparator<String> COMPARATOR = VersionOrder::compare;

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
