package io.wharf.server.pkg;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.conda.archive.PayloadDigests;
import io.wharf.conda.metadata.PathsJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The files a package installs, as an SBOM lists them: path, sha256 and size from {@code info/paths.json}
 * (CEP 34), and, once the payload was read ({@code payloadRead}), each regular file's SHA-1, which SPDX 2.x
 * requires. Stored per package sha256 ({@code package_contents}): a JSON array of
 * {@code {"path", "sha256", "size"}} as upload keeps it, or {@code {"payload_read": true, "files": [...]}}
 * with {@code sha1} added. A hash that is not hex of the right length is dropped rather than published.
 */
public record InstalledFiles(List<File> files, boolean payloadRead) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One installed file; sha256, sha1 and size are null when unknown (links have no content hash). */
  public record File(String path, String sha256, Long size, String sha1) {}

  public InstalledFiles {
    files = List.copyOf(files);
  }

  /** From the package's paths.json; a package without one (older builds) lists no files until its payload is read. */
  public static InstalledFiles of(Optional<PathsJson> paths) {
    List<File> out = new ArrayList<>();
    paths.ifPresent(p -> p.entries().forEach(e -> out.add(new File(e.path(),
        io.wharf.server.trust.TrustFormats.isHex(e.sha256(), 64) ? e.sha256() : null, e.size(), null))));
    return new InstalledFiles(out, false);
  }

  /**
   * With the SHA-1 of each regular file of the payload; a package whose paths.json listed nothing lists
   * the payload's files. A payload entry whose size disagrees with paths.json (an empty stand-in for a
   * link) gives no SHA-1, so that a file's hashes never describe different contents.
   */
  public InstalledFiles withPayloadSha1(Map<String, PayloadDigests.FileDigest> payload) {
    List<File> out = new ArrayList<>();
    if (files.isEmpty()) {
      new TreeMap<>(payload).forEach((path, d) -> out.add(new File(path, null, d.size(), d.sha1())));
    } else {
      for (File f : files) {
        PayloadDigests.FileDigest d = payload.get(f.path());
        boolean same = d != null && (f.size() == null || f.size() == d.size());
        out.add(new File(f.path(), f.sha256(), f.size(), same ? d.sha1() : null));
      }
    }
    return new InstalledFiles(out, true);
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
      if (f.sha1() != null) {
        o.put("sha1", f.sha1());
      }
    }
    if (!payloadRead) {
      return array.toString();
    }
    ObjectNode whole = JSON.createObjectNode().put("payload_read", true);
    whole.set("files", array);
    return whole.toString();
  }

  public static InstalledFiles fromJson(String json) {
    try {
      JsonNode tree = JSON.readTree(json);
      boolean payloadRead = tree.isObject() && tree.path("payload_read").asBoolean();
      List<File> out = new ArrayList<>();
      for (JsonNode o : tree.isObject() ? tree.path("files") : tree) {
        out.add(new File(o.path("path").asText(), text(o, "sha256"),
            o.hasNonNull("size") ? o.get("size").asLong() : null, text(o, "sha1")));
      }
      return new InstalledFiles(out, payloadRead);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored package contents are not JSON", e);
    }
  }

  private static String text(JsonNode o, String key) {
    return o.hasNonNull(key) ? o.get(key).asText() : null;
  }
}
