package io.wharf.conda.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code info/run_exports.json} (CEP 12). conda-build wrote a bare list in old packages, which means weak
 * exports; newer packages write a dict of the five kinds below.
 */
public final class RunExports {
  private static final String CODE = "invalid_run_exports_json";
  private static final String FILE = "info/run_exports.json";
  private static final List<String> KINDS =
      List.of("weak", "strong", "weak_constrains", "strong_constrains", "noarch");

  private final Map<String, List<String>> byKind;

  private RunExports(Map<String, List<String>> byKind) {
    this.byKind = byKind;
  }

  public static RunExports parse(byte[] json) throws InvalidMetadataException {
    return fromJson(Json.readAny(json, CODE, FILE));
  }

  public static RunExports fromJson(JsonNode node) throws InvalidMetadataException {
    Map<String, List<String>> byKind = new LinkedHashMap<>();
    if (node.isArray()) {
      byKind.put("weak", strings(node, "weak"));
    } else if (node.isObject()) {
      // Kinds other than the five CEP 12 names are ignored, as rattler's deserializer does.
      for (var field : node.properties()) {
        if (KINDS.contains(field.getKey()) && !field.getValue().isNull()) {
          byKind.put(field.getKey(), strings(field.getValue(), field.getKey()));
        }
      }
    } else {
      throw new InvalidMetadataException(CODE, FILE + " must be a list or an object");
    }
    return new RunExports(byKind);
  }

  private static List<String> strings(JsonNode list, String kind) throws InvalidMetadataException {
    if (!list.isArray()) {
      throw new InvalidMetadataException(CODE, FILE + " \"" + kind + "\" must be a list of strings");
    }
    List<String> out = new ArrayList<>(list.size());
    for (JsonNode item : list) {
      if (!item.isTextual()) {
        throw new InvalidMetadataException(
            CODE, FILE + " \"" + kind + "\" must contain only strings, found " + item);
      }
      out.add(item.asText());
    }
    return List.copyOf(out);
  }

  public List<String> weak() {
    return byKind.getOrDefault("weak", List.of());
  }

  public List<String> strong() {
    return byKind.getOrDefault("strong", List.of());
  }

  public List<String> weakConstrains() {
    return byKind.getOrDefault("weak_constrains", List.of());
  }

  public List<String> strongConstrains() {
    return byKind.getOrDefault("strong_constrains", List.of());
  }

  public List<String> noarch() {
    return byKind.getOrDefault("noarch", List.of());
  }

  public boolean isEmpty() {
    return byKind.values().stream().allMatch(List::isEmpty);
  }

  /**
   * The dict form with kinds in a fixed order and empty kinds left out, as rattler serialises run exports;
   * a fixed shape keeps repodata and shard bytes stable.
   */
  public ObjectNode toJson() {
    ObjectNode out = Json.MAPPER.createObjectNode();
    for (String kind : KINDS) {
      List<String> values = byKind.getOrDefault(kind, List.of());
      if (!values.isEmpty()) {
        values.forEach(out.putArray(kind)::add);
      }
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RunExports other && toJson().equals(other.toJson());
  }

  @Override
  public int hashCode() {
    return toJson().hashCode();
  }

  @Override
  public String toString() {
    return toJson().toString();
  }
}
