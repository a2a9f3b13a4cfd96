package io.wharf.conda.repodata;

import io.wharf.conda.metadata.PostInstallFlags;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * channeldata.json at the channel root (CEP 38, CONDA.md §3.4), computed from scratch from every
 * artifact's record, in the manner of conda-index's {@code _update_channeldata}:
 *
 * <ul>
 *   <li>a {@code .tar.bz2} is ignored when the {@code .conda} of the same stem is in the same subdir;
 *   <li>{@code version} is the highest (by the given VersionOrder, then newest timestamp), and
 *       {@code reference_package} names that artifact;
 *   <li>descriptive fields come from the highest record that has a non-empty value (index.json wins
 *       over about.json, which wins over the recipe's source section, like conda-index's merge order);
 *   <li>{@code run_exports} is keyed by version, from the newest build of that version, empty ones left
 *       out; the path flags are OR-ed over all artifacts; {@code timestamp} is the maximum in seconds.
 * </ul>
 *
 * conda-index updates an existing channeldata.json incrementally, which makes some values depend on
 * the order subdirs were indexed; building from scratch gives one answer for one set of artifacts.
 */
public final class ChanneldataBuilder {

  /** conda-index's {@code _make_seconds} threshold: 9999-12-31 in seconds. */
  private static final long MAX_SECONDS = 253402300799L;

  private static final List<String> DESCRIPTIVE_FIELDS = List.of(
      "description", "dev_url", "doc_url", "doc_source_url", "home", "license", "source_url",
      "source_git_url", "summary", "tags", "identifiers", "keywords");

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ChanneldataBuilder() {}

  public static byte[] build(Collection<ChanneldataInput> inputs, Comparator<String> versionOrder) {
    return build(inputs, List.of(), versionOrder);
  }

  /**
   * @param channelSubdirs subdirs the channel serves even without packages (at least {@code noarch});
   *     the output lists the union of these and the inputs' subdirs.
   */
  public static byte[] build(
      Collection<ChanneldataInput> inputs, Collection<String> channelSubdirs, Comparator<String> versionOrder) {
    Set<String> condaStems = new HashSet<>();
    for (ChanneldataInput in : inputs) {
      if (in.filename().endsWith(".conda")) {
        condaStems.add(in.subdir() + "/" + in.filename().substring(0, in.filename().length() - ".conda".length()));
      }
    }
    Map<String, List<ChanneldataInput>> byName = new TreeMap<>();
    Set<String> subdirs = new TreeSet<>(channelSubdirs);
    for (ChanneldataInput in : inputs) {
      String fn = in.filename();
      if (fn.endsWith(".tar.bz2")
          && condaStems.contains(in.subdir() + "/" + fn.substring(0, fn.length() - ".tar.bz2".length()))) {
        continue;
      }
      String name = in.record().path("name").asText("");
      if (name.isEmpty()) {
        continue;
      }
      subdirs.add(in.subdir());
      byName.computeIfAbsent(name, n -> new ArrayList<>()).add(in);
    }
    ObjectNode packages = NODES.objectNode();
    for (Map.Entry<String, List<ChanneldataInput>> e : byName.entrySet()) {
      packages.set(e.getKey(), entry(e.getValue(), versionOrder));
    }
    ObjectNode root = NODES.objectNode();
    root.put("channeldata_version", 1);
    root.set("packages", packages);
    ArrayNode subdirArray = root.putArray("subdirs");
    subdirs.forEach(subdirArray::add);
    return JsonText.indented(root, false).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The {@code packages} entry of one name as compact JSON with sorted keys ({@code "name":{...}}), from
   * that name's artifacts in every subdir, or empty text when none counts. The same rules as
   * {@link #build}, so a server can keep channeldata.json up to date name by name.
   */
  public static String packageEntry(String name, Collection<ChanneldataInput> artifactsOfName,
      Comparator<String> versionOrder) {
    Set<String> condaStems = new HashSet<>();
    for (ChanneldataInput in : artifactsOfName) {
      if (in.filename().endsWith(".conda")) {
        condaStems.add(in.subdir() + "/" + in.filename().substring(0, in.filename().length() - ".conda".length()));
      }
    }
    List<ChanneldataInput> counted = new ArrayList<>();
    for (ChanneldataInput in : artifactsOfName) {
      String fn = in.filename();
      if (fn.endsWith(".tar.bz2")
          && condaStems.contains(in.subdir() + "/" + fn.substring(0, fn.length() - ".tar.bz2".length()))) {
        continue;
      }
      if (name.equals(in.record().path("name").asText(""))) {
        counted.add(in);
      }
    }
    if (counted.isEmpty()) {
      return "";
    }
    return JsonText.quote(name) + ":" + JsonText.compact(entry(counted, versionOrder));
  }

  private static ObjectNode entry(List<ChanneldataInput> artifacts, Comparator<String> versionOrder) {
    Comparator<String> order = Versions.tolerant(versionOrder, artifacts.stream().map(ChanneldataBuilder::version).toList());
    List<ChanneldataInput> highestFirst = new ArrayList<>(artifacts);
    highestFirst.sort(Comparator.<ChanneldataInput, String>comparing(ChanneldataBuilder::version, order)
        .thenComparingLong(ChanneldataBuilder::timestampSeconds)
        .reversed()
        .thenComparing(ChanneldataInput::subdir)
        .thenComparing(ChanneldataInput::filename));
    ChanneldataInput highest = highestFirst.get(0);

    ObjectNode out = NODES.objectNode();
    for (String field : DESCRIPTIVE_FIELDS) {
      for (ChanneldataInput in : highestFirst) {
        JsonNode value = descriptive(in, field);
        if (truthy(value)) {
          out.set(field, value);
          break;
        }
      }
    }
    out.put("version", version(highest));
    out.put("reference_package", highest.subdir() + "/" + highest.filename());

    PostInstallFlags flags = PostInstallFlags.NONE;
    Set<String> subdirs = new TreeSet<>();
    long timestamp = 0;
    // newest build per version string, as conda-index keys run_exports by the record's version text
    Map<String, ChanneldataInput> newestPerVersion = new LinkedHashMap<>();
    for (ChanneldataInput in : highestFirst) {
      flags = flags.or(in.flags().orElse(PostInstallFlags.NONE));
      subdirs.add(in.subdir());
      timestamp = Math.max(timestamp, timestampSeconds(in));
      newestPerVersion.merge(version(in), in, (a, b) -> timestampSeconds(b) > timestampSeconds(a) ? b : a);
    }
    ObjectNode runExports = NODES.objectNode();
    for (Map.Entry<String, ChanneldataInput> v : new TreeMap<>(newestPerVersion).entrySet()) {
      JsonNode exports = normalizedRunExports(v.getValue());
      if (exports != null) {
        runExports.set(v.getKey(), exports);
      }
    }
    out.set("run_exports", runExports);
    out.setAll(flags.toJson());
    ArrayNode subdirArray = out.putArray("subdirs");
    subdirs.forEach(subdirArray::add);
    out.put("timestamp", timestamp);
    return out;
  }

  private static JsonNode descriptive(ChanneldataInput in, String field) {
    JsonNode value = in.record().get(field);
    if (!truthy(value) && in.about().isPresent()) {
      value = in.about().get().get(field);
    }
    if (!truthy(value) && in.recipeSource().isPresent() && in.recipeSource().get().isObject()
        && field.startsWith("source_")) {
      value = in.recipeSource().get().get(field.substring("source_".length()));
    }
    if ((field.equals("summary") || field.equals("description")) && truthy(value)) {
      return oneLine(value);
    }
    return value;
  }

  /** conda-index {@code clear_newline_chars}: strip, newlines to spaces; a list of lines is joined first. */
  private static JsonNode oneLine(JsonNode value) {
    String text;
    if (value.isTextual()) {
      text = value.textValue();
    } else if (value.isArray()) {
      StringBuilder joined = new StringBuilder();
      value.forEach(part -> joined.append(part.asText()));
      text = joined.toString();
    } else {
      return value;
    }
    return NODES.textNode(text.strip().replace("\n", " "));
  }

  private static JsonNode normalizedRunExports(ChanneldataInput in) {
    JsonNode exports = in.runExports().orElse(null);
    if (exports != null && exports.isArray()) {
      // CEP 12: a bare list is the old spelling of {"weak": [...]}
      ObjectNode weak = NODES.objectNode();
      weak.set("weak", exports);
      exports = weak;
    }
    return exports != null && exports.isObject() && !exports.isEmpty() ? exports : null;
  }

  /** Python truthiness, which conda-index uses to decide whether a field is "present". */
  private static boolean truthy(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return false;
    }
    if (n.isTextual()) {
      return !n.textValue().isEmpty();
    }
    if (n.isContainerNode()) {
      return !n.isEmpty();
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    return !n.isNumber() || n.doubleValue() != 0;
  }

  private static String version(ChanneldataInput in) {
    return in.record().path("version").asText("0");
  }

  private static long timestampSeconds(ChanneldataInput in) {
    return seconds(in.record().path("timestamp").asLong(0));
  }

  /** Timestamps above 9999-12-31 in seconds are milliseconds (conda-index {@code _make_seconds}). */
  static long seconds(long timestamp) {
    return timestamp > MAX_SECONDS ? timestamp / 1000 : timestamp;
  }
}
