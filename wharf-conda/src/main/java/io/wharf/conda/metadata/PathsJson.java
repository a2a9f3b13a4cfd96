package io.wharf.conda.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code info/paths.json} (CEP 34), validated and reduced to the flags channeldata.json publishes (CEP 38;
 * the rules are in {@link PostInstallFlags}).
 */
public final class PathsJson {
  private static final String CODE = "invalid_paths_json";
  private static final String FILE = "info/paths.json";

  private final ObjectNode raw;
  private final int fileCount;
  private final PostInstallFlags flags;

  private PathsJson(ObjectNode raw) throws InvalidMetadataException {
    this.raw = raw;
    JsonNode paths = raw.get("paths");
    if (paths == null || !paths.isArray()) {
      throw new InvalidMetadataException(CODE, FILE + " must contain a \"paths\" list");
    }
    for (JsonNode entry : paths) {
      JsonNode path = entry.get("_path");
      if (!entry.isObject() || path == null || !path.isTextual()) {
        throw new InvalidMetadataException(
            CODE, FILE + " has an entry without a string \"_path\": " + abbreviate(entry));
      }
    }
    this.fileCount = paths.size();
    this.flags = PostInstallFlags.fromPathsJson(raw);
  }

  public static PathsJson parse(byte[] json) throws InvalidMetadataException {
    return new PathsJson(Json.readObject(json, CODE, FILE));
  }

  public ObjectNode raw() {
    return raw.deepCopy();
  }

  public int fileCount() {
    return fileCount;
  }

  public PostInstallFlags flags() {
    return flags;
  }

  /**
   * One installed file as CEP 34 lists it: its path relative to the prefix, and, when the entry carries
   * them, the sha256 and size of the file as it is in the package (keys {@code sha256}, {@code size_in_bytes}).
   */
  public record Entry(String path, String sha256, Long size) {}

  /** Every entry of {@code paths}, in the order the file lists them. */
  public java.util.List<Entry> entries() {
    java.util.List<Entry> out = new java.util.ArrayList<>(fileCount);
    for (JsonNode entry : raw.get("paths")) {
      JsonNode sha = entry.get("sha256");
      JsonNode size = entry.get("size_in_bytes");
      out.add(new Entry(entry.get("_path").asText(),
          sha != null && sha.isTextual() ? sha.asText() : null,
          size != null && size.canConvertToLong() && size.isIntegralNumber() ? size.asLong() : null));
    }
    return out;
  }

  private static String abbreviate(JsonNode node) {
    String text = node.toString();
    return text.length() > 80 ? text.substring(0, 80) + "..." : text;
  }
}
