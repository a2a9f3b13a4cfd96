package io.wharf.server.index;

import io.wharf.conda.repodata.CurrentSelection;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which dependency specs the records in a subdir's current_repodata place on each package name, with
 * how many records place each. A name must publish, besides its own newest version, the newest version
 * satisfying every spec placed on it that its newest version does not satisfy; this table tells which
 * names a change can affect without reading every record. Its size follows the distinct specs of
 * the current records, not the number of records in the subdir.
 */
final class CurrentDemand {
  private final Map<String, Map<String, Integer>> byName = new HashMap<>();

  Map<String, Integer> on(String name) {
    return byName.getOrDefault(name, Map.of());
  }

  Set<String> names() {
    return byName.keySet();
  }

  /** Replaces the contribution {@code before} with {@code after}; adds each name whose specs changed to {@code touched}. */
  void replace(Collection<CurrentSelection.Candidate> before, Collection<CurrentSelection.Candidate> after,
      Collection<String> touched) {
    Map<String, Integer> delta = new HashMap<>();
    for (CurrentSelection.Candidate c : before) {
      c.depends().forEach(spec -> delta.merge(spec, -1, Integer::sum));
    }
    for (CurrentSelection.Candidate c : after) {
      c.depends().forEach(spec -> delta.merge(spec, 1, Integer::sum));
    }
    delta.forEach((spec, d) -> {
      if (d == 0) {
        return;
      }
      String dep = CurrentSelection.dependencyName(spec);
      Map<String, Integer> specs = byName.computeIfAbsent(dep, k -> new HashMap<>());
      int n = specs.getOrDefault(spec, 0) + d;
      if (n > 0) {
        specs.put(spec, n);
      } else {
        specs.remove(spec);
        if (specs.isEmpty()) {
          byName.remove(dep);
        }
      }
      touched.add(dep);
    });
  }

  void clear() {
    byName.clear();
  }
}
