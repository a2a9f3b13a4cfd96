package io.wharf.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.conda.archive.PackageWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Real package metadata in volume: turns records of {@code fixtures/real/large/index4.json} (5,643 real
 * Anaconda linux-64 records) into small but well-formed packages whose {@code info/index.json} is the
 * record without its checksums, so they go through the ordinary upload path.
 */
public final class RecordPackages {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RecordPackages() {}

  /** Every record whose name is in {@code names}, written as a .tar.bz2 into {@code outDir}. */
  public static List<Path> fromIndex4(Path outDir, Set<String> names) throws IOException {
    JsonNode records = JSON.readTree(Fixtures.root().resolve("real/large/index4.json").toFile());
    List<Path> out = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = records.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!names.contains(e.getValue().path("name").asText())) {
        continue;
      }
      ObjectNode index = ((ObjectNode) e.getValue()).deepCopy();
      index.remove(List.of("md5", "sha256", "size"));
      if (!index.has("subdir")) {
        index.put("subdir", "linux-64");
      }
      Map<String, byte[]> files = new LinkedHashMap<>();
      files.put("info/index.json", JSON.writeValueAsBytes(index));
      files.put("info/paths.json", "{\"paths\": [], \"paths_version\": 1}".getBytes(StandardCharsets.UTF_8));
      Path p = outDir.resolve(e.getKey());
      PackageWriter.writeTarBz2(p, files);
      out.add(p);
    }
    return out;
  }
}
