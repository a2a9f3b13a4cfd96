package io.wharf.conda.repodata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.conda.pkg.InvalidNameException;
import io.wharf.conda.pkg.PackageFilename;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A subdir's {@code patch_instructions.json} (CONDA.md §3.3), applied one record at a time, so that a
 * publisher can patch exactly the records it writes. The rules follow conda-index
 * ({@code _apply_instructions}):
 *
 * <ol>
 *   <li>a {@code packages} entry patches the record of that file and the {@code .conda} record of the
 *       same stem; a {@code packages.conda} entry then patches that {@code .conda} record;</li>
 *   <li>each key of an entry replaces (or adds) that key of the record. A {@code null} value removes the
 *       key: conda-index writes {@code null}, which clients read as "absent" for the optional fields,
 *       while rattler refuses {@code null} where it expects a list ({@code depends}, {@code features}
 *       is the usual target, as in conda-forge's patches), so the key goes;</li>
 *   <li>{@code revoke} sets {@code revoked: true} and adds the dependency
 *       {@code package_has_been_revoked}, which no package provides;</li>
 *   <li>{@code remove} takes the record out of {@code packages}/{@code packages.conda}; the publisher
 *       lists it under {@code removed} and keeps the file downloadable.</li>
 * </ol>
 *
 * A {@code .tar.bz2} name in {@code revoke} or {@code remove} covers the {@code .conda} twin too; a
 * {@code .conda} name covers only itself. Entries for files that do not exist do nothing. Checksums and
 * size are never patched (CONDA.md §3.3): instructions that try are refused. Nor is {@code name}: it places a
 * record (its shard, its channeldata entry, its current_repodata group), and a record renamed by a patch would
 * be listed under the name it no longer has. {@link #parseStored} reads instructions kept from before that
 * rule and leaves their {@code name} fields out.
 */
public final class PatchInstructions {
  /** The marker dependency of a revoked record (conda-index). */
  public static final String REVOKED_DEPENDENCY = "package_has_been_revoked";
  public static final PatchInstructions NONE = new PatchInstructions(Map.of(), Map.of(), Set.of(), Set.of());
  private static final Set<String> FIXED_KEYS = Set.of("md5", "sha256", "size");
  private static final String NAME = "name";
  private static final String TAR = ".tar.bz2";
  private static final String CONDA = ".conda";

  private static final JsonMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  static {
    MAPPER.getFactory().setStreamReadConstraints(
        StreamReadConstraints.builder().maxNestingDepth(64).maxNumberLength(64).build());
  }

  private final Map<String, ObjectNode> packages;
  private final Map<String, ObjectNode> packagesConda;
  private final Set<String> revoke;
  private final Set<String> remove;

  private PatchInstructions(Map<String, ObjectNode> packages, Map<String, ObjectNode> packagesConda,
      Set<String> revoke, Set<String> remove) {
    this.packages = packages;
    this.packagesConda = packagesConda;
    this.revoke = revoke;
    this.remove = remove;
  }

  /** The result of patching one record: its JSON, or none when the instructions remove it. */
  public record Patched(Optional<String> json, SortedSet<String> changedFields, boolean removed) {}

  /**
   * Reads instructions. A missing {@code patch_instructions_version} means 1 (rattler's test channel
   * has none); any other version is refused, as conda-index refuses versions above 1.
   */
  public static PatchInstructions parse(byte[] json) {
    return parse(json, false);
  }

  /**
   * Reads instructions that were accepted and stored before {@code name} could not be patched: an entry's
   * {@code name} is left out (the record keeps its own), everything else is read as {@link #parse} reads it.
   */
  public static PatchInstructions parseStored(byte[] json) {
    return parse(json, true);
  }

  private static PatchInstructions parse(byte[] json, boolean dropName) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidPatchException("invalid_json", "patch instructions are not valid JSON: "
          + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InvalidPatchException("invalid_json", "patch instructions could not be read: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new InvalidPatchException("invalid_patch", "patch instructions must be a JSON object");
    }
    JsonNode version = root.get("patch_instructions_version");
    if (version != null && !(version.isIntegralNumber() && version.asLong() == 1)) {
      throw new InvalidPatchException("unsupported_patch_version",
          "patch_instructions_version " + version + " is not supported; only version 1 is");
    }
    return new PatchInstructions(entries(root, "packages", dropName), entries(root, "packages.conda", dropName),
        names(root, "revoke"), names(root, "remove"));
  }

  private static Map<String, ObjectNode> entries(JsonNode root, String key, boolean dropName) {
    JsonNode node = root.get(key);
    if (node == null || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw new InvalidPatchException("invalid_patch", "\"" + key + "\" must be an object of filename to record fields");
    }
    Map<String, ObjectNode> out = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isObject()) {
        throw new InvalidPatchException("invalid_patch",
            "\"" + key + "\" entry " + e.getKey() + " must be an object of record fields");
      }
      for (String fixed : FIXED_KEYS) {
        if (e.getValue().has(fixed)) {
          throw new InvalidPatchException("invalid_patch",
              "\"" + key + "\" entry " + e.getKey() + " patches " + fixed + ", which describes the file and cannot be patched");
        }
      }
      ObjectNode fields = (ObjectNode) e.getValue();
      if (fields.has(NAME)) {
        if (!dropName) {
          throw new InvalidPatchException("invalid_patch", "\"" + key + "\" entry " + e.getKey()
              + " patches name; a patch cannot rename a record, since its name decides where it is listed"
              + " (shard, channeldata, current_repodata)");
        }
        fields.remove(NAME);
      }
      out.put(e.getKey(), fields);
    }
    return Collections.unmodifiableMap(out);
  }

  private static Set<String> names(JsonNode root, String key) {
    JsonNode node = root.get(key);
    if (node == null || node.isNull()) {
      return Set.of();
    }
    if (!node.isArray()) {
      throw new InvalidPatchException("invalid_patch", "\"" + key + "\" must be a list of filenames");
    }
    Set<String> out = new HashSet<>();
    for (JsonNode n : node) {
      if (!n.isTextual()) {
        throw new InvalidPatchException("invalid_patch", "\"" + key + "\" must hold filenames, found " + n);
      }
      out.add(n.asText());
    }
    return Collections.unmodifiableSet(out);
  }

  public boolean isEmpty() {
    return packages.isEmpty() && packagesConda.isEmpty() && revoke.isEmpty() && remove.isEmpty();
  }

  /** How many filenames the instructions name, all lists together. */
  public int size() {
    return packages.size() + packagesConda.size() + revoke.size() + remove.size();
  }

  /**
   * The package names whose records these instructions may touch: what a publisher must revisit when
   * the instructions come or go. Entries whose filename is not a package filename match no record.
   */
  public SortedSet<String> packageNames() {
    SortedSet<String> out = new TreeSet<>();
    List<String> all = new ArrayList<>(packages.keySet());
    all.addAll(packagesConda.keySet());
    all.addAll(revoke);
    all.addAll(remove);
    for (String fn : all) {
      try {
        out.add(PackageFilename.parse(fn).name());
      } catch (InvalidNameException e) {
        // names no file
      }
    }
    return out;
  }

  /** Whether the record of {@code filename} is left as it is (the publisher's fast path). */
  public boolean untouched(String filename) {
    String tarTwin = tarTwin(filename);
    return !packages.containsKey(filename) && !packagesConda.containsKey(filename) && !revoke.contains(filename)
        && !remove.contains(filename) && (tarTwin == null || (!packages.containsKey(tarTwin)
            && !revoke.contains(tarTwin) && !remove.contains(tarTwin)));
  }

  /** Patches the stored record text of {@code filename}; an untouched record comes back as the same text. */
  public Patched apply(String filename, String recordJson) {
    if (untouched(filename)) {
      return new Patched(Optional.of(recordJson), Collections.emptySortedSet(), false);
    }
    String tarTwin = tarTwin(filename);
    if (remove.contains(filename) || (tarTwin != null && remove.contains(tarTwin))) {
      return new Patched(Optional.empty(), Collections.emptySortedSet(), true);
    }
    ObjectNode original;
    try {
      original = (ObjectNode) MAPPER.readTree(recordJson);
    } catch (IOException | ClassCastException e) {
      throw new IllegalArgumentException("record of " + filename + " is not a JSON object", e);
    }
    ObjectNode record = original.deepCopy();
    if (tarTwin != null) {
      merge(record, packages.get(tarTwin));
      merge(record, packages.get(filename));
      merge(record, packagesConda.get(filename));
    } else {
      merge(record, packages.get(filename));
    }
    if (revoke.contains(filename) || (tarTwin != null && revoke.contains(tarTwin))) {
      record.put("revoked", true);
      JsonNode depends = record.get("depends");
      ArrayNode list = depends != null && depends.isArray() ? (ArrayNode) depends : record.putArray("depends");
      list.add(REVOKED_DEPENDENCY);
    }
    SortedSet<String> changed = new TreeSet<>();
    Set<String> keys = new HashSet<>();
    original.fieldNames().forEachRemaining(keys::add);
    record.fieldNames().forEachRemaining(keys::add);
    for (String k : keys) {
      if (!java.util.Objects.equals(original.get(k), record.get(k))) {
        changed.add(k);
      }
    }
    return new Patched(Optional.of(changed.isEmpty() ? recordJson : JsonText.compact(record)),
        Collections.unmodifiableSortedSet(changed), false);
  }

  private static void merge(ObjectNode record, ObjectNode patch) {
    if (patch == null) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isNull()) {
        record.remove(e.getKey());
      } else {
        record.set(e.getKey(), e.getValue().deepCopy());
      }
    }
  }

  /** The {@code .tar.bz2} name of a {@code .conda} file's stem, or null for any other file. */
  private static String tarTwin(String filename) {
    return filename.endsWith(CONDA) ? filename.substring(0, filename.length() - CONDA.length()) + TAR : null;
  }
}
