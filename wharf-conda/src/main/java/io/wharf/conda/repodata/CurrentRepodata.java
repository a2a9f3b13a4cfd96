package io.wharf.conda.repodata;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * current_repodata.json: the subset the classic conda solver tries first (CONDA.md §3.2), following
 * conda-index's {@code current_repodata.py}:
 *
 * <ol>
 *   <li>every build of the newest version of each name;
 *   <li>for each dependency of a kept record that no kept record satisfies, all builds of the newest
 *       version that does. conda-index makes one pass; we repeat until nothing is added, so the
 *       dependencies of records added this way are satisfiable too;
 *   <li>for a name whose kept records carry {@code track_features}/{@code features}, the newest
 *       feature-free record not newer than them;
 *   <li>a {@code .tar.bz2} is left out when the {@code .conda} of the same stem exists (conda's
 *       SubdirData does the same), and that {@code .conda} record gets {@code legacy_bz2_md5}.
 * </ol>
 *
 * Dependencies are matched with {@link MatchSpec}; a spec or version it rejects counts as satisfied,
 * which keeps more records, never fewer. conda-index's {@code current_index_versions} pins are not
 * supported. The per-name rules live in {@link CurrentSelection}, which a server uses to keep the
 * document up to date name by name; this class applies them to a whole subdir at once.
 */
public final class CurrentRepodata {

  private CurrentRepodata() {}

  public static byte[] build(
      String subdir,
      SortedMap<String, String> tarBz2,
      SortedMap<String, String> conda,
      Comparator<String> versionOrder) {
    return build(subdir, tarBz2, conda, versionOrder, Optional.empty());
  }

  public static byte[] build(
      String subdir,
      SortedMap<String, String> tarBz2,
      SortedMap<String, String> conda,
      Comparator<String> versionOrder,
      Optional<String> baseUrl) {
    Map<String, SortedMap<String, String>> tarByName = byName(tarBz2);
    Map<String, SortedMap<String, String>> condaByName = byName(conda);
    Map<String, CurrentSelection.Name> names = new TreeMap<>();
    Set<String> all = new TreeSet<>(tarByName.keySet());
    all.addAll(condaByName.keySet());
    for (String name : all) {
      names.put(name, CurrentSelection.Name.of(name, tarByName.getOrDefault(name, new TreeMap<>()),
          condaByName.getOrDefault(name, new TreeMap<>()), versionOrder));
    }

    Map<String, Set<CurrentSelection.Candidate>> kept = new TreeMap<>();
    Deque<CurrentSelection.Candidate> unchecked = new ArrayDeque<>();
    for (CurrentSelection.Name name : names.values()) {
      keep(name.name(), name.kept(), kept, unchecked);
    }
    // conda-index makes one pass over the dependencies; repeating until nothing is added makes the
    // dependencies of records added this way satisfiable too.
    Set<String> handledSpecs = new HashSet<>();
    while (!unchecked.isEmpty()) {
      for (String spec : unchecked.poll().depends()) {
        if (!handledSpecs.add(spec)) {
          continue;
        }
        String depName = CurrentSelection.dependencyName(spec);
        CurrentSelection.Name dep = names.get(depName);
        if (dep == null || CurrentSelection.satisfiedBy(kept.getOrDefault(depName, Set.of()), spec)) {
          continue;
        }
        keep(depName, dep.newestSatisfying(spec), kept, unchecked);
      }
    }

    SortedMap<String, String> keptTar = new TreeMap<>();
    SortedMap<String, String> keptConda = new TreeMap<>();
    for (Map.Entry<String, Set<CurrentSelection.Candidate>> e : kept.entrySet()) {
      CurrentSelection.Name name = names.get(e.getKey());
      for (CurrentSelection.Candidate c : e.getValue()) {
        (c.isConda() ? keptConda : keptTar).put(c.filename(), name.currentJson(c));
      }
    }
    return RepodataBuilder.build(subdir, keptTar, keptConda, List.of(), baseUrl);
  }

  private static void keep(String name, List<CurrentSelection.Candidate> records,
      Map<String, Set<CurrentSelection.Candidate>> kept, Deque<CurrentSelection.Candidate> unchecked) {
    Set<CurrentSelection.Candidate> ofName = kept.computeIfAbsent(name, n -> new LinkedHashSet<>());
    for (CurrentSelection.Candidate c : records) {
      if (ofName.add(c)) {
        unchecked.add(c);
      }
    }
  }

  /** Splits filename -> record JSON maps by the records' package names. */
  private static Map<String, SortedMap<String, String>> byName(SortedMap<String, String> records) {
    Map<String, SortedMap<String, String>> out = new HashMap<>();
    for (Map.Entry<String, String> e : records.entrySet()) {
      String name = CurrentSelection.candidate(e.getKey(), e.getValue()).name();
      out.computeIfAbsent(name, n -> new TreeMap<>()).put(e.getKey(), e.getValue());
    }
    return out;
  }
}
