package io.wharf.server.pkg;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.conda.metadata.PathsJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The files a package installs, as an SBOM lists them: path, sha256 and size from {@code info/paths.json}
 * (CEP 34). Stored per package sha256 ({@code package_contents}) as a compact JSON array of
 * {@code {"path", "sha256", "size"}}; a hash that is not 64 hex digits is dropped rather than published.
 */
public record InstalledFiles(List<File> files) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  /** One installed file; sha256 and size are null when paths.json does not give them. */
  public record File(String path, String sha256, Long size) {}

  public InstalledFiles {
    files = List.copyOf(files);
  }

  /** From the package's paths.json; a package without one (older builds) installs no listed files. */
  public static InstalledFiles of(Optional<PathsJson> paths) {
    List<File> out = new ArrayList<>();
    paths.ifPresent(p -> p.entries().forEach(e -> out.add(new File(e.path(),
        e.sha256() != null && SHA256.matcher(e.sha256()).matches() ? e.sha256() : null, e.size()))));
    return new InstalledFiles(out);
  }

  public String toJson() {
    ArrayNode array = JSON.createArrayNode();
    for (File f : files) {
      ObjectNode o = array.addObject().put("path", f.path());
      if (f.sha256() != null) {
        o.put("sha256", f.sha256());
      }
      if (f.size() != null) {
        o.put("size", f.size());
      }
    }
    return array.toString();
  }

  public static InstalledFiles fromJson(String json) {
    try {
      List<File> out = new ArrayList<>();
      for (JsonNode o : JSON.readTree(json)) {
        out.add(new File(o.path("path").asText(), o.hasNonNull("sha256") ? o.get("sha256").asText() : null,
            o.hasNonNull("size") ? o.get("size").asLong() : null));
      }
      return new InstalledFiles(out);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored package contents are not JSON", e);
    }
  }
}
