package io.wharf.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.conda.repodata.RepodataRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A subdir's records as the server holds them: one compact, key-sorted JSON string per file
 * ({@link RepodataRecords#toJson}), split into .tar.bz2 and .conda, and also grouped by package name
 * (the server keeps the name in its own column, so grouping is not part of what is measured).
 */
final class RepodataFixture {
  static final ObjectMapper MAPPER = new ObjectMapper();

  final String subdir;
  final SortedMap<String, String> tarBz2 = new TreeMap<>();
  final SortedMap<String, String> conda = new TreeMap<>();
  final SortedMap<String, SortedMap<String, String>> tarBz2ByName = new TreeMap<>();
  final SortedMap<String, SortedMap<String, String>> condaByName = new TreeMap<>();

  private RepodataFixture(String subdir) {
    this.subdir = subdir;
  }

  /**
   * {@code index4} is conda's test file large/index4.json, a bare {filename: record} map;
   * {@code pytorch-linux-64} is a full repodata.json.
   */
  static RepodataFixture load(String dataset) throws IOException {
    return switch (dataset) {
      case "index4" -> {
        RepodataFixture f = new RepodataFixture("linux-64");
        f.addAll(read("real/large/index4.json"));
        yield f;
      }
      case "pytorch-linux-64" -> {
        JsonNode repodata = read("real/large/pytorch-linux-64/repodata.json");
        RepodataFixture f = new RepodataFixture(repodata.path("info").path("subdir").asText("linux-64"));
        f.addAll(repodata.path("packages"));
        f.addAll(repodata.path("packages.conda"));
        yield f;
      }
      default -> throw new IllegalArgumentException("unknown dataset " + dataset);
    };
  }

  int size() {
    return tarBz2.size() + conda.size();
  }

  /** The whole repodata.json as one Jackson tree, built from the stored record strings. */
  ObjectNode tree() throws IOException {
    ObjectNode root = MAPPER.createObjectNode();
    root.putObject("info").put("subdir", subdir);
    ObjectNode packages = root.putObject("packages");
    for (Map.Entry<String, String> e : tarBz2.entrySet()) {
      packages.set(e.getKey(), MAPPER.readTree(e.getValue()));
    }
    ObjectNode packagesConda = root.putObject("packages.conda");
    for (Map.Entry<String, String> e : conda.entrySet()) {
      packagesConda.set(e.getKey(), MAPPER.readTree(e.getValue()));
    }
    root.putArray("removed");
    root.put("repodata_version", 1);
    return root;
  }

  private static JsonNode read(String relative) throws IOException {
    Path file = Fixtures.file(relative);
    return MAPPER.readTree(Files.readAllBytes(file));
  }

  private void addAll(JsonNode records) {
    records.properties().forEach(e -> {
      if (!(e.getValue() instanceof ObjectNode record)) {
        throw new IllegalStateException("record " + e.getKey() + " is not an object");
      }
      String filename = e.getKey();
      boolean isConda = filename.endsWith(".conda");
      String json = stored(record);
      String name = record.path("name").asText();
      (isConda ? conda : tarBz2).put(filename, json);
      (isConda ? condaByName : tarBz2ByName).computeIfAbsent(name, n -> new TreeMap<>()).put(filename, json);
    });
  }

  // Formed like an uploaded package's record (which drops arch, platform, ...). The server always knows
  // the checksums; the few old index4 records without a sha256 are kept as they are, only re-serialized.
  private static String stored(ObjectNode record) {
    JsonNode md5 = record.get("md5");
    JsonNode sha256 = record.get("sha256");
    JsonNode size = record.get("size");
    if (md5 != null && md5.isTextual() && sha256 != null && sha256.isTextual() && size != null
        && size.canConvertToLong()) {
      return RepodataRecords.toJson(
          RepodataRecords.form(record, md5.textValue(), sha256.textValue(), size.longValue()));
    }
    return RepodataRecords.toJson(record);
  }
}
