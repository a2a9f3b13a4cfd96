package io.wharf.conda.repodata;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;

final class Versions {

  private Versions() {}

  /**
   * The given VersionOrder, except that versions it rejects sort below all others (among themselves by
   * plain string order): one malformed record from a mirrored channel must not break a whole build, and
   * a total order keeps List.sort's contract.
   */
  static Comparator<String> tolerant(Comparator<String> order, Collection<String> versions) {
    Set<String> rejected = new HashSet<>();
    for (String v : new HashSet<>(versions)) {
      try {
        order.compare(v, v);
      } catch (RuntimeException e) {
        rejected.add(v);
      }
    }
    if (rejected.isEmpty()) {
      return order;
    }
    return (a, b) -> {
      boolean badA = rejected.contains(a);
      boolean badB = rejected.contains(b);
      if (badA || badB) {
        return badA && badB ? a.compareTo(b) : (badA ? -1 : 1);
      }
      return order.compare(a, b);
    };
  }
}
