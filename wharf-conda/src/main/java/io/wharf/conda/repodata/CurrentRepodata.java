package io.wharf.conda.repodata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.conda.spec.MatchSpec;
import java.util.function.Predicate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
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
 * supported.
 */
public final class CurrentRepodata {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TAR_BZ2 = ".tar.bz2";
  private static final String CONDA = ".conda";

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
    List<Candidate> all = new ArrayList<>();
    for (Map.Entry<String, String> e : conda.entrySet()) {
      all.add(new Candidate(e.getKey(), true, parse(e), e.getValue()));
    }
    for (Map.Entry<String, String> e : tarBz2.entrySet()) {
      String stem = e.getKey().substring(0, e.getKey().length() - Math.min(e.getKey().length(), TAR_BZ2.length()));
      if (!conda.containsKey(stem + CONDA)) {
        all.add(new Candidate(e.getKey(), false, parse(e), e.getValue()));
      }
    }
    Comparator<String> safeOrder = Versions.tolerant(versionOrder, all.stream().map(c -> c.version).toList());
    Comparator<Candidate> newestFirst = Comparator.<Candidate, String>comparing(c -> c.version, safeOrder)
        .thenComparingLong(c -> c.buildNumber)
        .thenComparingLong(c -> c.timestamp)
        .reversed()
        .thenComparing(c -> c.filename);
    Map<String, List<Candidate>> byName = new TreeMap<>();
    for (Candidate c : all) {
      byName.computeIfAbsent(c.name, n -> new ArrayList<>()).add(c);
    }
    byName.values().forEach(group -> group.sort(newestFirst));

    Set<Candidate> keep = new LinkedHashSet<>();
    Deque<Candidate> unchecked = new ArrayDeque<>();
    for (List<Candidate> group : byName.values()) {
      addVersion(group, group.get(0).version, safeOrder, keep, unchecked);
    }
    Map<String, List<Candidate>> keptByName = new HashMap<>();
    keep.forEach(c -> keptByName.computeIfAbsent(c.name, n -> new ArrayList<>()).add(c));
    Set<String> handledSpecs = new HashSet<>();
    while (!unchecked.isEmpty()) {
      Candidate c = unchecked.poll();
      for (String spec : c.depends) {
        if (!handledSpecs.add(spec)) {
          continue;
        }
        String depName = MatchSpec.nameOf(spec);
        Predicate<Candidate> satisfies = satisfying(spec);
        List<Candidate> kept = keptByName.getOrDefault(depName, List.of());
        if (kept.stream().anyMatch(satisfies)) {
          continue;
        }
        for (Candidate option : byName.getOrDefault(depName, List.of())) {
          if (satisfies.test(option)) {
            List<Candidate> added = new ArrayList<>();
            addVersion(byName.get(depName), option.version, safeOrder, keep, added);
            added.forEach(a -> keptByName.computeIfAbsent(a.name, n -> new ArrayList<>()).add(a));
            unchecked.addAll(added);
            break;
          }
        }
      }
    }
    addFeatureFreeFallbacks(byName, keptByName, safeOrder, keep);
    return write(subdir, keep, tarBz2, baseUrl);
  }

  /**
   * Which records satisfy a dependency. A spec or version the parser rejects counts as satisfied by
   * every record: that keeps more records, never fewer, which is the safe side for current_repodata.
   */
  private static Predicate<Candidate> satisfying(String spec) {
    MatchSpec ms;
    try {
      ms = MatchSpec.parse(spec);
    } catch (IllegalArgumentException e) {
      return c -> true;
    }
    return c -> {
      try {
        return ms.matches(c.name, c.version, c.build);
      } catch (IllegalArgumentException e) {
        return true;
      }
    };
  }

  private static void addVersion(
      List<Candidate> group, String version, Comparator<String> order, Set<Candidate> keep,
      Collection<Candidate> added) {
    for (Candidate c : group) {
      if (order.compare(c.version, version) == 0 && keep.add(c)) {
        added.add(c);
      }
    }
  }

  private static void addFeatureFreeFallbacks(
      Map<String, List<Candidate>> byName, Map<String, List<Candidate>> keptByName,
      Comparator<String> order, Set<Candidate> keep) {
    for (Map.Entry<String, List<Candidate>> e : keptByName.entrySet()) {
      List<Candidate> kept = e.getValue();
      if (kept.stream().noneMatch(c -> c.hasFeatures)) {
        continue;
      }
      String latest = kept.stream().map(c -> c.version).max(order).orElseThrow();
      for (Candidate option : byName.get(e.getKey())) {
        if (!option.hasFeatures && order.compare(option.version, latest) <= 0) {
          keep.add(option);
          break;
        }
      }
    }
  }

  private static byte[] write(
      String subdir, Set<Candidate> keep, SortedMap<String, String> tarBz2, Optional<String> baseUrl) {
    SortedMap<String, String> keptTar = new TreeMap<>();
    SortedMap<String, String> keptConda = new TreeMap<>();
    for (Candidate c : keep) {
      if (!c.conda) {
        keptTar.put(c.filename, c.json);
        continue;
      }
      // conda-index records the twin's md5 "to prevent package churn" for clients that
      // remember which .tar.bz2 they installed.
      String twin = c.filename.substring(0, c.filename.length() - CONDA.length()) + TAR_BZ2;
      JsonNode twinMd5 = tarBz2.containsKey(twin) ? parse(Map.entry(twin, tarBz2.get(twin))).get("md5") : null;
      if (twinMd5 != null && twinMd5.isTextual()) {
        ObjectNode record = c.record.deepCopy();
        record.put("legacy_bz2_md5", twinMd5.textValue());
        keptConda.put(c.filename, RepodataRecords.toJson(record));
      } else {
        keptConda.put(c.filename, c.json);
      }
    }
    return RepodataBuilder.build(subdir, keptTar, keptConda, List.of(), baseUrl);
  }

  private static ObjectNode parse(Map.Entry<String, String> e) {
    try {
      JsonNode node = JSON.readTree(e.getValue());
      if (node instanceof ObjectNode object) {
        return object;
      }
    } catch (JsonProcessingException ignored) {
      // reported below
    }
    throw new IllegalArgumentException("record for " + e.getKey() + " is not a JSON object");
  }

  private static final class Candidate {
    final String filename;
    final boolean conda;
    final ObjectNode record;
    final String json;
    final String name;
    final String version;
    final String build;
    final long buildNumber;
    final long timestamp;
    final boolean hasFeatures;
    final List<String> depends = new ArrayList<>();

    Candidate(String filename, boolean conda, ObjectNode record, String json) {
      this.filename = filename;
      this.conda = conda;
      this.record = record;
      this.json = json;
      this.name = record.path("name").asText("");
      this.version = record.path("version").asText("");
      this.build = record.path("build").asText("");
      this.buildNumber = record.path("build_number").asLong(0);
      this.timestamp = ChanneldataBuilder.seconds(record.path("timestamp").asLong(0));
      this.hasFeatures = nonEmpty(record.get("track_features")) || nonEmpty(record.get("features"));
      record.path("depends").forEach(d -> {
        if (d.isTextual() && !d.textValue().startsWith("__")) {
          depends.add(d.textValue());
        }
      });
    }

    private static boolean nonEmpty(JsonNode n) {
      return n != null && !n.isNull() && !(n.isTextual() && n.textValue().isBlank()) && !(n.isContainerNode() && n.isEmpty());
    }
  }
}
