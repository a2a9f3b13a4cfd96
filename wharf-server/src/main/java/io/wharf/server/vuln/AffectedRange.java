package io.wharf.server.vuln;

import java.util.Comparator;

/**
 * Versions of one package a record says are affected: an exact version, or an interval whose ends may be
 * open (null). PYPI ranges name a normalised PyPI project and compare by PEP 440; CPE ranges name an NVD
 * vendor:product and compare loosely by {@link CpeVersions}.
 */
public record AffectedRange(Kind kind, String pkg, String exact, String start, boolean startInclusive,
    String end, boolean endInclusive) {

  public enum Kind { PYPI, CPE }

  public static AffectedRange exact(Kind kind, String pkg, String version) {
    return new AffectedRange(kind, pkg, version, null, true, null, false);
  }

  public boolean contains(String version) {
    Comparator<String> order = kind == Kind.PYPI ? Pep440.COMPARATOR : CpeVersions.COMPARATOR;
    try {
      if (exact != null) {
        return order.compare(version, exact) == 0;
      }
      if (start != null) {
        int c = order.compare(version, start);
        if (c < 0 || (c == 0 && !startInclusive)) {
          return false;
        }
      }
      if (end != null) {
        int c = order.compare(version, end);
        return c < 0 || (c == 0 && endInclusive);
      }
      return true;
    } catch (RuntimeException unparsable) {
      // A version the order cannot read is not claimed as affected; curators can still add it by hand.
      return false;
    }
  }
}
