package io.wharf.conda.repodata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RepodataRecordsTest {

  private static final String SHA = "1f07873d6aa0cd18760a7b215d9956f7fa63c2f2761b03f293c659fe982923fa";
  private static final String MD5 = "2e5b81671cc2b53177b94b258b1658b2";

  @ParameterizedTest
  @CsvSource({"zlib-1.2.11-h7b6447c_3.tar.bz2, packages", "zlib-1.2.11-h7b6447c_3.conda, packages.conda"})
  void formsTheRecordCondaTestChannelListsFromThePackagesOwnIndexJson(String filename, String section)
      throws Exception {
    byte[] indexJson = Fixtures.infoFiles(filename, Set.of("info/index.json")).get("info/index.json");
    Path file = Fixtures.real("packages/" + filename);

    ObjectNode record = RepodataRecords.form(
        (ObjectNode) Fixtures.JSON.readTree(indexJson),
        Fixtures.digest("MD5", file), Fixtures.digest("SHA-256", file), Files.size(file));

    JsonNode expected = Fixtures.json("conda-format-repo/linux-64/repodata.json").get(section).get(filename);
    assertThat(record).isEqualTo(expected);
    assertThat(RepodataRecords.toJson(record)).isEqualTo(RepodataRecords.toJson((ObjectNode) expected));
  }

  @Test
  void reproducesEveryRecordOfTheRealRepodataFromItsIndexJsonPart() throws Exception {
    JsonNode repodata = Fixtures.json("conda-format-repo/linux-64/repodata.json");
    for (String section : new String[] {"packages", "packages.conda"}) {
      for (Map.Entry<String, JsonNode> e : repodata.get(section).properties()) {
        ObjectNode indexJson = ((ObjectNode) e.getValue()).deepCopy();
        indexJson.remove(java.util.List.of("md5", "sha256", "size"));

        ObjectNode record = RepodataRecords.form(indexJson, e.getValue().get("md5").asText(),
            e.getValue().get("sha256").asText(), e.getValue().get("size").asLong());

        assertThat(record).as(e.getKey()).isEqualTo(e.getValue());
      }
    }
  }

  @Test
  void dropsTheKeysCondaIndexDropsAndKeepsEverythingElse() throws Exception {
    ObjectNode indexJson = (ObjectNode) Fixtures.JSON.readTree("""
        {"name":"a","version":"1","build":"0","build_number":0,"arch":"x86_64","platform":"linux",
         "has_prefix":true,"mtime":1,"ucs":4,"requires_features":{},"binstar":{},"target-triplet":"x",
         "machine":"x86_64","operatingsystem":"linux","track_features":"mkl","python_site_packages_path":"lib"}
        """);

    ObjectNode record = RepodataRecords.form(indexJson, MD5, SHA, 10);

    assertThat(record.properties()).extracting(Map.Entry::getKey).containsExactlyInAnyOrder(
        "name", "version", "build", "build_number", "track_features", "python_site_packages_path",
        "md5", "sha256", "size");
    assertThat(indexJson.has("arch")).as("input is not modified").isTrue();
  }

  @Test
  void leavesLegacyNoarchTrueAndSecondTimestampsAsTheyAre() throws Exception {
    ObjectNode indexJson = (ObjectNode) Fixtures.JSON.readTree(
        "{\"name\":\"a\",\"version\":\"1\",\"build\":\"0\",\"noarch\":true,\"timestamp\":1500000000}");

    ObjectNode record = RepodataRecords.form(indexJson, MD5, SHA, 10);

    assertThat(record.get("noarch").booleanValue()).isTrue();
    assertThat(record.get("timestamp").longValue()).isEqualTo(1500000000L);
  }

  @Test
  void replacesChecksumsAnIndexJsonClaimsAndLowercasesHex() throws Exception {
    ObjectNode indexJson = (ObjectNode) Fixtures.JSON.readTree(
        "{\"name\":\"a\",\"md5\":\"00000000000000000000000000000000\",\"size\":1}");

    ObjectNode record = RepodataRecords.form(indexJson, MD5.toUpperCase(), SHA.toUpperCase(), 122456);

    assertThat(record.get("md5").asText()).isEqualTo(MD5);
    assertThat(record.get("sha256").asText()).isEqualTo(SHA);
    assertThat(record.get("size").asLong()).isEqualTo(122456);
  }

  @Test
  void rejectsMalformedChecksumsAndNegativeSize() {
    ObjectNode indexJson = Fixtures.JSON.createObjectNode().put("name", "a");
    assertThatThrownBy(() -> RepodataRecords.form(indexJson, "abc", SHA, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RepodataRecords.form(indexJson, MD5, MD5, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RepodataRecords.form(indexJson, MD5, SHA, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void serializesCompactlyWithKeysSortedAtEveryLevel() throws Exception {
    ObjectNode record = (ObjectNode) Fixtures.JSON.readTree("""
        {"version": "1.2.11", "name": "zlib", "depends": ["libgcc-ng >=7.3.0"],
         "run_exports": {"weak": ["zlib"], "strong": []}, "size": 122456, "noarch": null}
        """);

    assertThat(RepodataRecords.toJson(record)).isEqualTo(
        "{\"depends\":[\"libgcc-ng >=7.3.0\"],\"name\":\"zlib\",\"noarch\":null,"
            + "\"run_exports\":{\"strong\":[],\"weak\":[\"zlib\"]},\"size\":122456,\"version\":\"1.2.11\"}");
  }

  @Test
  void serializesLikePythonCompactDumpsForNonAsciiControlCharactersAndFloats() throws Exception {
    ObjectNode record = Fixtures.JSON.createObjectNode();
    record.put("summary", "é\u007f\u0001\"\\");
    record.put("z", 2e23);
    record.put("y", 1.5e-5);

    // json.dumps(..., sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assertThat(RepodataRecords.toJson(record))
        .isEqualTo("{\"summary\":\"é\u007f\\u0001\\\"\\\\\",\"y\":1.5e-05,\"z\":2e+23}");
  }

  @Test
  void serializationIsStableAndIndependentOfKeyInsertionOrder() {
    ObjectNode a = Fixtures.JSON.createObjectNode().put("name", "a").put("build", "0");
    ObjectNode b = Fixtures.JSON.createObjectNode().put("build", "0").put("name", "a");
    assertThat(RepodataRecords.toJson(a)).isEqualTo(RepodataRecords.toJson(b));
  }
}
