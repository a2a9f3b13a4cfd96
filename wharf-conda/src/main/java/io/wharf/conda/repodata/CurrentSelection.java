package io.wharf.conda.repodata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.conda.spec.MatchSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The rules of current_repodata.json ({@link CurrentRepodata}) for one package name at a time, so
 * that a server can keep current_repodata up to date name by name instead of rebuilding it whole:
 * which records of a name are kept on their own (the newest version, the feature-free fallback, the
 * {@code .conda} in place of its {@code .tar.bz2} twin), and which further records a dependency spec
 * that the kept ones do not satisfy pulls in (all builds of the newest version that satisfies it).
 */
public final class CurrentSelection {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TAR_BZ2 = ".tar.bz2";
  private static final String CONDA = ".conda";

  private CurrentSelection() {}

  /** One record of the name, parsed once. */
  public static final class Candidate {
    final String filename;
    final boolean conda;
    final ObjectNode record;
    final String json;
    final String version;
    final String build;
    final long buildNumber;
    final long timestamp;
    final boolean hasFeatures;
    final List<String> depends = new ArrayList<>();

    Candidate(String filename, String json) {
      this(filename, json, parse(filename, json));
    }

    /** {@code record}: {@code json} parsed. */
    Candidate(String filename, String json, ObjectNode record) {
      this.filename = filename;
      this.conda = filename.endsWith(CONDA);
      this.record = record;
      this.json = json;
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

    public String filename() {
      return filename;
    }

    public boolean isConda() {
      return conda;
    }

    /** The record's package name. */
    public String name() {
      return record.path("name").asText("");
    }

    /** Dependencies that name a real package (virtual {@code __} packages left out). */
    public List<String> depends() {
      return depends;
    }

    private static boolean nonEmpty(JsonNode n) {
      return n != null && !n.isNull() && !(n.isTextual() && n.textValue().isBlank())
          && !(n.isContainerNode() && n.isEmpty());
    }
  }

  /** The records of one name in a subdir, as the solver sees them: newest first, .tar.bz2 twins dropped. */
  public static final class Name {
    private final String name;
    private final List<Candidate> newestFirst;
    private final Comparator<String> order;
    private final Map<String, String> twinMd5;

    private Name(String name, List<Candidate> newestFirst, Comparator<String> order, Map<String, String> twinMd5) {
      this.name = name;
      this.newestFirst = newestFirst;
      this.order = order;
      this.twinMd5 = twinMd5;
    }

    /**
     * @param tarBz2 filename to record JSON of this name's .tar.bz2 files
     * @param conda filename to record JSON of this name's .conda files
     */
    public static Name of(String name, SortedMap<String, String> tarBz2, SortedMap<String, String> conda,
        Comparator<String> versionOrder) {
      return of(name, tarBz2, conda, versionOrder, CurrentSelection::parse);
    }

    /**
     * As {@link #of}, with the records already parsed by the caller: {@code parsed} maps each filename of
     * {@code tarBz2} and {@code conda} to its JSON object (a filename it lacks is parsed here).
     */
    public static Name ofParsed(String name, SortedMap<String, String> tarBz2, SortedMap<String, String> conda,
        Map<String, ? extends JsonNode> parsed, Comparator<String> versionOrder) {
      return of(name, tarBz2, conda, versionOrder, (fn, json) -> parsed.get(fn) instanceof ObjectNode o
          ? o : parse(fn, json));
    }

    private static Name of(String name, SortedMap<String, String> tarBz2, SortedMap<String, String> conda,
        Comparator<String> versionOrder, java.util.function.BiFunction<String, String, ObjectNode> parser) {
      List<Candidate> all = new ArrayList<>();
      Map<String, String> twinMd5 = new LinkedHashMap<>();
      for (Map.Entry<String, String> e : conda.entrySet()) {
        all.add(new Candidate(e.getKey(), e.getValue(), parser.apply(e.getKey(), e.getValue())));
      }
      for (Map.Entry<String, String> e : tarBz2.entrySet()) {
        String fn = e.getKey();
        String stem = fn.endsWith(TAR_BZ2) ? fn.substring(0, fn.length() - TAR_BZ2.length()) : fn;
        if (conda.containsKey(stem + CONDA)) {
          JsonNode md5 = parser.apply(fn, e.getValue()).get("md5");
          if (md5 != null && md5.isTextual()) {
            twinMd5.put(stem + CONDA, md5.textValue());
          }
        } else {
          all.add(new Candidate(fn, e.getValue(), parser.apply(fn, e.getValue())));
        }
      }
      Comparator<String> safe = Versions.tolerant(versionOrder, all.stream().map(c -> c.version).toList());
      all.sort(Comparator.<Candidate, String>comparing(c -> c.version, safe)
          .thenComparingLong(c -> c.buildNumber)
          .thenComparingLong(c -> c.timestamp)
          .reversed()
          .thenComparing(c -> c.filename));
      return new Name(name, List.copyOf(all), safe, twinMd5);
    }

    public String name() {
      return name;
    }

    public boolean isEmpty() {
      return newestFirst.isEmpty();
    }

    /** Every build of the newest version, plus the newest feature-free record when those carry features. */
    public List<Candidate> kept() {
      if (newestFirst.isEmpty()) {
        return List.of();
      }
      List<Candidate> kept = new ArrayList<>(sameVersion(newestFirst.get(0).version));
      if (kept.stream().anyMatch(c -> c.hasFeatures)) {
        String latest = newestFirst.get(0).version;
        for (Candidate c : newestFirst) {
          if (!c.hasFeatures && order.compare(c.version, latest) <= 0) {
            if (!kept.contains(c)) {
              kept.add(c);
            }
            break;
          }
        }
      }
      return kept;
    }

    /** All builds of the newest version that satisfies {@code spec}, or none. */
    public List<Candidate> newestSatisfying(String spec) {
      MatchSpec ms = parseSpec(spec);
      for (Candidate c : newestFirst) {
        if (ms == null || matches(ms, c)) {
          return sameVersion(c.version);
        }
      }
      return List.of();
    }

    private List<Candidate> sameVersion(String version) {
      List<Candidate> out = new ArrayList<>();
      for (Candidate c : newestFirst) {
        if (order.compare(c.version, version) == 0) {
          out.add(c);
        }
      }
      return out;
    }

    /** The record JSON to publish in current_repodata: a .conda gets its twin's md5 as legacy_bz2_md5. */
    public String currentJson(Candidate c) {
      String md5 = c.conda ? twinMd5.get(c.filename) : null;
      if (md5 == null) {
        return c.json;
      }
      ObjectNode record = c.record.deepCopy();
      record.put("legacy_bz2_md5", md5);
      return RepodataRecords.toJson(record);
    }
  }

  /** Whether some record in {@code records} satisfies the spec (unparseable specs count as satisfied). */
  public static boolean satisfiedBy(Collection<Candidate> records, String spec) {
    MatchSpec ms = parseSpec(spec);
    for (Candidate c : records) {
      if (ms == null || matches(ms, c)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the record satisfies the dependency. A spec or version the parser rejects counts as
   * satisfied: that keeps more records, never fewer, which is the safe side for current_repodata.
   */
  public static boolean satisfies(Candidate c, String spec) {
    MatchSpec ms = parseSpec(spec);
    return ms == null || matches(ms, c);
  }

  private static MatchSpec parseSpec(String spec) {
    try {
      return MatchSpec.parse(spec);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static boolean matches(MatchSpec ms, Candidate c) {
    try {
      return ms.matches(c.record.path("name").asText(""), c.version, c.build);
    } catch (IllegalArgumentException e) {
      return true;
    }
  }

  /** Parses one published current record (for callers that read back what they published). */
  public static Candidate candidate(String filename, String json) {
    return new Candidate(filename, json);
  }

  /** The package name a dependency spec names. */
  public static String dependencyName(String spec) {
    return MatchSpec.nameOf(spec);
  }

  private static ObjectNode parse(String filename, String json) {
    try {
      JsonNode node = JSON.readTree(json);
      if (node instanceof ObjectNode object) {
        return object;
      }
    } catch (JsonProcessingException ignored) {
      // reported below
    }
    throw new IllegalArgumentException("record for " + filename + " is not a JSON object");
  }
}
