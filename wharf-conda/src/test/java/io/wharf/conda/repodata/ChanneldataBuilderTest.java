package io.wharf.conda.repodata;

import io.wharf.conda.metadata.PostInstallFlags;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChanneldataBuilderTest {

  private static final java.util.Comparator<String> ORDER = io.wharf.conda.version.VersionOrder.COMPARATOR;
  private static final Set<String> INFO = Set.of(
      "info/index.json", "info/about.json", "info/run_exports.json", "info/paths.json");

  @Test
  void reproducesCondaIndexsEntryForRunExportsVersions() throws Exception {
    ChanneldataInput v1 = fromPackage("noarch", "run_exports_versions-1.0-he35c369_0.tar.bz2");
    // conda-index's test channel also holds the 2.0 build, which is not among the fixtures; its record is
    // the 1.0 one with the version and run_exports that conda-index's channeldata.json lists for 2.0.
    ObjectNode v2Record = v1.record().deepCopy().put("version", "2.0");
    JsonNode v2Exports = Fixtures.JSON.readTree("{\"weak\":[\"run_exports_version 2.0\"]}");
    ChanneldataInput v2 = new ChanneldataInput("noarch", "run_exports_versions-2.0-he35c369_0.tar.bz2", v2Record,
        v1.about(), Optional.of(v2Exports), v1.flags(), Optional.empty());

    ObjectNode channeldata = Fixtures.parse(ChanneldataBuilder.build(List.of(v1, v2), ORDER));

    ObjectNode expected = (ObjectNode) Fixtures.json("conda-index-channeldata/channeldata.json")
        .get("packages").get("run_exports_versions").deepCopy();
    expected.put("reference_package", "noarch/run_exports_versions-2.0-he35c369_0.tar.bz2");
    assertThat(channeldata.get("packages").get("run_exports_versions")).isEqualTo(expected);
    assertThat(channeldata.get("subdirs").toString()).isEqualTo("[\"noarch\"]");
    assertThat(channeldata.get("channeldata_version").asInt()).isEqualTo(1);
  }

  @Test
  void describesZlibFromItsAboutJsonLikeCondasChanneldata() throws Exception {
    ChanneldataInput conda = fromPackage("linux-64", "zlib-1.2.11-h7b6447c_3.conda");
    ChanneldataInput tarBz2 = fromPackage("linux-64", "zlib-1.2.11-h7b6447c_3.tar.bz2");

    JsonNode zlib = Fixtures.parse(ChanneldataBuilder.build(List.of(tarBz2, conda), ORDER)).get("packages").get("zlib");

    JsonNode expected = Fixtures.json("conda-format-repo/channeldata.json").get("packages").get("zlib");
    for (String field : List.of("description", "summary", "home", "dev_url", "doc_url", "license", "version",
        "binary_prefix", "text_prefix", "activate.d", "deactivate.d", "pre_link", "post_link", "pre_unlink")) {
      assertThat(zlib.get(field)).as(field).isEqualTo(expected.get(field));
    }
    assertThat(zlib.get("reference_package").asText()).as("the .tar.bz2 twin is ignored")
        .isEqualTo("linux-64/zlib-1.2.11-h7b6447c_3.conda");
    assertThat(zlib.get("run_exports").get("1.2.11")).isEqualTo(expected.get("run_exports"));
    assertThat(zlib.get("timestamp").asLong()).isEqualTo(1542814864L);
    assertThat(zlib.has("identifiers")).as("empty lists are dropped like nulls").isFalse();
  }

  @Test
  void recordsWithoutAboutGiveTheRequiredKeysOnly() throws Exception {
    ObjectNode repodata = Fixtures.json("conda-format-repo/linux-64/repodata.json");
    ChanneldataInput libgcc = ChanneldataInput.of("linux-64", "libgcc-ng-8.2.0-hdf63c60_1.tar.bz2",
        (ObjectNode) repodata.get("packages").get("libgcc-ng-8.2.0-hdf63c60_1.tar.bz2"));

    JsonNode built = Fixtures.parse(ChanneldataBuilder.build(List.of(libgcc), List.of("noarch", "win-64"), ORDER));

    JsonNode entry = built.get("packages").get("libgcc-ng");
    assertThat(keys(entry)).containsExactlyInAnyOrder("activate.d", "binary_prefix", "deactivate.d", "license",
        "post_link", "pre_link", "pre_unlink", "reference_package", "run_exports", "subdirs", "text_prefix",
        "timestamp", "version");
    assertThat(entry.get("reference_package").asText())
        .isEqualTo(Fixtures.json("conda-format-repo/channeldata.json").at("/packages/libgcc-ng/reference_package").asText());
    assertThat(entry.get("run_exports").isEmpty()).isTrue();
    assertThat(built.get("subdirs").toString()).isEqualTo("[\"linux-64\",\"noarch\",\"win-64\"]");
  }

  @Test
  void highestVersionDescribesThePackageAndOlderOnesFillItsGaps() throws Exception {
    ObjectNode newRecord = record("tool", "1.10", 1_700_000_000_000L);
    ObjectNode oldRecord = record("tool", "1.9", 1_800_000_000L);
    ObjectNode newAbout = about("{\"summary\":\"new\\nsummary \",\"home\":null,\"license\":\"ignored\"}");
    ObjectNode oldAbout = about("{\"summary\":\"old\",\"home\":\"https://old\",\"description\":[\"line1\\n\",\"line2\"]}");
    newRecord.put("license", "MIT");
    List<ChanneldataInput> inputs = List.of(
        new ChanneldataInput("linux-64", "tool-1.9-0.conda", oldRecord, Optional.of(oldAbout), Optional.empty(),
            Optional.of(new PostInstallFlags(false, false, false, false, false, true, false)), Optional.empty()),
        new ChanneldataInput("osx-64", "tool-1.10-0.conda", newRecord, Optional.of(newAbout), Optional.empty(),
            Optional.of(new PostInstallFlags(true, false, false, false, false, false, false)),
            Optional.of(Fixtures.JSON.readTree("{\"url\":\"https://src/tool-1.10.tar.gz\",\"git_url\":\"\"}"))));

    JsonNode tool = Fixtures.parse(ChanneldataBuilder.build(inputs, ORDER)).get("packages").get("tool");

    assertThat(tool.get("version").asText()).isEqualTo("1.10");
    assertThat(tool.get("reference_package").asText()).isEqualTo("osx-64/tool-1.10-0.conda");
    assertThat(tool.get("summary").asText()).isEqualTo("new summary");
    assertThat(tool.get("license").asText()).as("index.json wins over about.json").isEqualTo("MIT");
    assertThat(tool.get("home").asText()).isEqualTo("https://old");
    assertThat(tool.get("description").asText()).isEqualTo("line1 line2");
    assertThat(tool.get("source_url").asText()).isEqualTo("https://src/tool-1.10.tar.gz");
    assertThat(tool.has("source_git_url")).isFalse();
    assertThat(tool.get("binary_prefix").booleanValue()).isTrue();
    assertThat(tool.get("post_link").booleanValue()).isTrue();
    assertThat(tool.get("subdirs").toString()).isEqualTo("[\"linux-64\",\"osx-64\"]");
    assertThat(tool.get("timestamp").asLong()).as("max, milliseconds converted to seconds").isEqualTo(1_800_000_000L);
  }

  @Test
  void runExportsAreKeyedByVersionFromTheNewestBuildAndAListMeansWeak() throws Exception {
    List<ChanneldataInput> inputs = new ArrayList<>();
    inputs.add(withRunExports(record("lib", "1.0", 100), "lib-1.0-0.conda", "[\"lib >=1.0,<2\"]"));
    inputs.add(withRunExports(record("lib", "1.0", 200), "lib-1.0-1.conda", "{\"strong\":[\"lib 1.0.*\"]}"));
    inputs.add(withRunExports(record("lib", "2.0", 300), "lib-2.0-0.conda", "{}"));

    JsonNode lib = Fixtures.parse(ChanneldataBuilder.build(inputs, ORDER)).get("packages").get("lib");

    assertThat(lib.get("run_exports").toString()).isEqualTo("{\"1.0\":{\"strong\":[\"lib 1.0.*\"]}}");
    inputs.remove(1);
    JsonNode weak = Fixtures.parse(ChanneldataBuilder.build(inputs, ORDER)).get("packages").get("lib");
    assertThat(weak.get("run_exports").toString()).isEqualTo("{\"1.0\":{\"weak\":[\"lib >=1.0,<2\"]}}");
  }

  @Test
  void outputIsSortedIndentedJsonAndStable() throws Exception {
    ChanneldataInput v1 = fromPackage("noarch", "run_exports_versions-1.0-he35c369_0.tar.bz2");
    byte[] first = ChanneldataBuilder.build(List.of(v1), ORDER);

    String text = new String(first, StandardCharsets.UTF_8);
    assertThat(text).startsWith("{\n  \"channeldata_version\": 1,\n  \"packages\": {\n    \"run_exports_versions\": {\n");
    assertThat(ChanneldataBuilder.build(List.of(v1), ORDER)).isEqualTo(first);
  }

  @Test
  void pathFlagsComeFromPathsJson() throws Exception {
    byte[] paths = Fixtures.infoFiles("conda-index-pkg-a-1.0-pyhed9eced_1.tar.bz2", INFO).get("info/paths.json");
    assertThat(PostInstallFlags.fromPathsJson(Fixtures.JSON.readTree(paths)))
        .isEqualTo(new PostInstallFlags(false, false, false, false, false, true, false));

    JsonNode synthetic = Fixtures.JSON.readTree("""
        {"paths": [{"_path": "etc/conda/activate.d/x.sh"}, {"_path": "etc/conda/deactivate.d/x.sh"},
                   {"_path": "bin/.foo-pre-link.sh"}, {"_path": "Scripts/.foo-pre-unlink.bat"},
                   {"_path": "lib/libx.so", "prefix_placeholder": "/opt/p", "file_mode": "binary"},
                   {"_path": ".toplevel-post-link.sh"}]}
        """);
    assertThat(PostInstallFlags.fromPathsJson(synthetic))
        .isEqualTo(new PostInstallFlags(true, false, true, true, true, false, true));
    assertThat(PostInstallFlags.fromPathsJson(null)).isEqualTo(PostInstallFlags.NONE);
  }

  private static ChanneldataInput fromPackage(String subdir, String filename) throws Exception {
    Map<String, byte[]> info = Fixtures.infoFiles(filename, INFO);
    Path file = Fixtures.real("packages/" + filename);
    ObjectNode record = RepodataRecords.form((ObjectNode) Fixtures.JSON.readTree(info.get("info/index.json")),
        Fixtures.digest("MD5", file), Fixtures.digest("SHA-256", file), Files.size(file));
    Optional<ObjectNode> about = Optional.ofNullable(info.get("info/about.json"))
        .map(b -> (ObjectNode) read(b));
    Optional<JsonNode> runExports = Optional.ofNullable(info.get("info/run_exports.json")).map(ChanneldataBuilderTest::read);
    Optional<PostInstallFlags> flags = Optional.of(PostInstallFlags.fromPathsJson(read(info.get("info/paths.json"))));
    return new ChanneldataInput(subdir, filename, record, about, runExports, flags, Optional.empty());
  }

  private static JsonNode read(byte[] json) {
    try {
      return Fixtures.JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode record(String name, String version, long timestamp) {
    return Fixtures.JSON.createObjectNode().put("name", name).put("version", version).put("timestamp", timestamp);
  }

  private static ObjectNode about(String json) throws Exception {
    return (ObjectNode) Fixtures.JSON.readTree(json);
  }

  private static ChanneldataInput withRunExports(ObjectNode record, String filename, String runExports) throws Exception {
    return new ChanneldataInput("linux-64", filename, record, Optional.empty(),
        Optional.of(Fixtures.JSON.readTree(runExports)), Optional.empty(), Optional.empty());
  }

  private static List<String> keys(JsonNode node) {
    List<String> keys = new ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    return keys;
  }
}
