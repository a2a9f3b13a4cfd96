package io.wharf.conda.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code info/index.json} (CEP 34). The original tree is kept so that fields this class does not model
 * (track_features, python_site_packages_path, ...) reach the repodata record unchanged.
 */
public final class IndexJson {
  static final String CODE = "invalid_index_json";
  private static final String FILE = "info/index.json";

  /** 9999-12-31T23:59:59Z in seconds: anything larger must be milliseconds (conda-index _make_seconds). */
  private static final long MAX_SECONDS = 253402300799L;

  private final ObjectNode raw;
  private final String name;
  private final String version;
  private final String build;
  private final long buildNumber;
  private final List<String> depends;
  private final List<String> constrains;
  private final Optional<String> noarch;
  private final OptionalLong timestamp;

  private IndexJson(ObjectNode raw) throws InvalidMetadataException {
    this.raw = raw;
    this.name = requiredString("name");
    this.version = requiredString("version");
    this.build = requiredString("build");
    this.buildNumber = requiredBuildNumber();
    this.depends = stringList("depends");
    this.constrains = stringList("constrains");
    this.noarch = parseNoarch(raw.get("noarch"));
    this.timestamp = parseTimestamp(raw.get("timestamp"));
    for (String field : List.of("subdir", "license", "license_family", "platform", "arch")) {
      optionalString(field);
    }
  }

  public static IndexJson parse(byte[] json) throws InvalidMetadataException {
    return new IndexJson(Json.readObject(json, CODE, FILE));
  }

  public static IndexJson of(ObjectNode tree) throws InvalidMetadataException {
    return new IndexJson(tree.deepCopy());
  }

  /** Seconds since the epoch for a timestamp that may be in seconds or in milliseconds. */
  public static long toSeconds(long ts) {
    return ts > MAX_SECONDS ? ts / 1000 : ts;
  }

  /** A copy of the tree exactly as read; changing it does not change this object. */
  public ObjectNode raw() {
    return raw.deepCopy();
  }

  public String name() {
    return name;
  }

  public String version() {
    return version;
  }

  public String build() {
    return build;
  }

  public long buildNumber() {
    return buildNumber;
  }

  public Optional<String> subdir() {
    return Json.text(raw, "subdir");
  }

  public List<String> depends() {
    return depends;
  }

  public List<String> constrains() {
    return constrains;
  }

  public Optional<String> license() {
    return Json.text(raw, "license");
  }

  public Optional<String> licenseFamily() {
    return Json.text(raw, "license_family");
  }

  /** "python" or "generic"; the legacy boolean {@code true} is reported as "generic". */
  public Optional<String> noarch() {
    return noarch;
  }

  /** The timestamp as written in the package: milliseconds for modern builds, seconds for old ones. */
  public OptionalLong timestamp() {
    return timestamp;
  }

  public Optional<String> platform() {
    return Json.text(raw, "platform");
  }

  public Optional<String> arch() {
    return Json.text(raw, "arch");
  }

  private String requiredString(String field) throws InvalidMetadataException {
    JsonNode v = raw.get(field);
    if (v == null || v.isNull()) {
      throw invalid("is missing the required field \"" + field + "\"");
    }
    if (!v.isTextual() || v.asText().isEmpty()) {
      throw invalid("field \"" + field + "\" must be a non-empty string, found " + describe(v));
    }
    return v.asText();
  }

  private long requiredBuildNumber() throws InvalidMetadataException {
    JsonNode v = raw.get("build_number");
    if (v == null || v.isNull()) {
      throw invalid("is missing the required field \"build_number\"");
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
      throw invalid("field \"build_number\" must be a non-negative integer, found " + describe(v));
    }
    return v.asLong();
  }

  private List<String> stringList(String field) throws InvalidMetadataException {
    JsonNode v = raw.get(field);
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (!v.isArray()) {
      throw invalid("field \"" + field + "\" must be a list of strings, found " + describe(v));
    }
    List<String> out = new ArrayList<>(v.size());
    for (JsonNode item : v) {
      if (!item.isTextual()) {
        throw invalid(
            "field \"" + field + "\" must contain only strings, found " + describe(item));
      }
      out.add(item.asText());
    }
    return List.copyOf(out);
  }

  private void optionalString(String field) throws InvalidMetadataException {
    JsonNode v = raw.get(field);
    if (v != null && !v.isNull() && !v.isTextual()) {
      throw invalid("field \"" + field + "\" must be a string or null, found " + describe(v));
    }
  }

  // Mirrors conda's NoarchType.coerce (conda/models/enums.py): booleans and their string spellings
  // are legacy forms of "generic"/none; anything else is not a noarch type conda would install.
  private Optional<String> parseNoarch(JsonNode v) throws InvalidMetadataException {
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (v.isBoolean()) {
      return v.asBoolean() ? Optional.of("generic") : Optional.empty();
    }
    if (v.isTextual()) {
      switch (v.asText().toLowerCase(java.util.Locale.ROOT)) {
        case "generic":
        case "true":
          return Optional.of("generic");
        case "python":
          return Optional.of("python");
        case "false":
        case "":
          return Optional.empty();
        default:
          break;
      }
    }
    throw invalid("field \"noarch\" must be \"python\", \"generic\" or a boolean, found " + describe(v));
  }

  private OptionalLong parseTimestamp(JsonNode v) throws InvalidMetadataException {
    if (v == null || v.isNull()) {
      return OptionalLong.empty();
    }
    // Some old builds wrote float seconds; the whole part is what every reader uses.
    if (!v.isNumber() || !v.canConvertToLong()) {
      throw invalid("field \"timestamp\" must be a number, found " + describe(v));
    }
    return OptionalLong.of(v.asLong());
  }

  private static String describe(JsonNode v) {
    String text = v.toString();
    return text.length() > 60 ? text.substring(0, 60) + "..." : text;
  }

  private static InvalidMetadataException invalid(String problem) {
    return new InvalidMetadataException(CODE, FILE + " " + problem);
  }
}
