package io.wharf.server.pkg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.server.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** Package file rows for repository tests. */
public final class PackageFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PackageFiles() {}

  /** A file whose name, version and build come from a {@code name-version-build.ext} filename. */
  public static NewPackageFile file(long channelId, String label, String subdir, String filename) {
    String stem = filename.replaceFirst("\\.(conda|tar\\.bz2)$", "");
    int buildDash = stem.lastIndexOf('-');
    int versionDash = stem.lastIndexOf('-', buildDash - 1);
    String name = stem.substring(0, versionDash);
    String version = stem.substring(versionDash + 1, buildDash);
    String build = stem.substring(buildDash + 1);
    String identity = channelId + "/" + label + "/" + subdir + "/" + filename;
    String md5 = hex("MD5", identity);
    String sha256 = hex("SHA-256", identity);
    long size = 1000L + filename.length();
    ObjectNode index = JSON.createObjectNode()
        .put("build", build).put("build_number", 0).put("name", name).put("subdir", subdir).put("version", version);
    index.putArray("depends");
    ObjectNode record = index.deepCopy().put("md5", md5).put("sha256", sha256).put("size", size);
    return new NewPackageFile(channelId, label, subdir, filename, name, version, build, 0, md5, sha256, size,
        "sha256/" + sha256, record.toString(), index.toString(), null, null, null);
  }

  /** The zlib 1.2.11 .conda record of the conda test channel in the fixtures, with every optional part. */
  public static NewPackageFile realZlib(long channelId) {
    Path repodata = Fixtures.root().resolve("real/conda-format-repo/linux-64/repodata.json");
    try {
      JsonNode record = JSON.readTree(repodata.toFile()).path("packages.conda").path("zlib-1.2.11-h7b6447c_3.conda");
      ObjectNode index = ((ObjectNode) record.deepCopy()).without(List.of("md5", "sha256", "size"));
      return new NewPackageFile(channelId, "main", "linux-64", "zlib-1.2.11-h7b6447c_3.conda",
          record.get("name").asText(), record.get("version").asText(), record.get("build").asText(),
          record.get("build_number").asLong(), record.get("md5").asText(), record.get("sha256").asText(),
          record.get("size").asLong(), "sha256/" + record.get("sha256").asText(), record.toString(), index.toString(),
          "{\"license\":\"zlib\"}",
          "{\"weak\":[\"zlib >=1.2.11,<1.3.0a0\"]}", "{\"lib/libz.so.1\":{\"prefix\":false}}");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Records of index4.json, a real channel of 5643 linux-64 and noarch records, by filename. */
  public static JsonNode index4() {
    try {
      return JSON.readTree(Fixtures.root().resolve("real/large/index4.json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A file under label main holding a real repodata record as it is (depends and constrains included). */
  public static NewPackageFile fromRecord(long channelId, String filename, JsonNode record) {
    String sha256 = record.hasNonNull("sha256") ? record.get("sha256").asText() : hex("SHA-256", filename);
    ObjectNode index = ((ObjectNode) record.deepCopy()).without(List.of("md5", "sha256", "size"));
    return new NewPackageFile(channelId, "main", record.get("subdir").asText(), filename,
        record.get("name").asText(), record.get("version").asText(), record.get("build").asText(),
        record.get("build_number").asLong(), record.get("md5").asText(), sha256, record.get("size").asLong(),
        "sha256/" + sha256, record.toString(), index.toString(), null, null, null);
  }

  /** {@code file} with its record's depends and constrains replaced. */
  public static NewPackageFile withRequirements(NewPackageFile file, List<String> depends, List<String> constrains) {
    try {
      ObjectNode record = (ObjectNode) JSON.readTree(file.recordJson());
      record.putArray("depends").addAll(depends.stream().map(JSON.getNodeFactory()::textNode).toList());
      record.putArray("constrains").addAll(constrains.stream().map(JSON.getNodeFactory()::textNode).toList());
      return new NewPackageFile(file.channelId(), file.label(), file.subdir(), file.filename(), file.name(),
          file.version(), file.build(), file.buildNumber(), file.md5(), file.sha256(), file.size(), file.blobKey(),
          record.toString(), file.indexJson(), file.aboutJson(), file.runExportsJson(), file.pathsFlagsJson());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String hex(String algorithm, String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
