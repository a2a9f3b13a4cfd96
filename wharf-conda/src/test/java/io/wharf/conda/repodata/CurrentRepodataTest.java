package io.wharf.conda.repodata;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class CurrentRepodataTest {

  private static final java.util.Comparator<String> ORDER = io.wharf.conda.version.VersionOrder.COMPARATOR;

  @Test
  void keepsTheCondaTwinWithLegacyBz2Md5LikeCondasFixture() throws Exception {
    ObjectNode repodata = Fixtures.json("conda-format-repo/linux-64/repodata.json");
    ObjectNode expected = Fixtures.json("conda-format-repo/linux-64/current_repodata.json");

    ObjectNode current = Fixtures.parse(CurrentRepodata.build("linux-64", Fixtures.section(repodata, "packages"),
        Fixtures.section(repodata, "packages.conda"), ORDER));

    assertThat(current.get("packages.conda")).isEqualTo(expected.get("packages.conda"));
    assertThat(current.get("packages").has("zlib-1.2.11-h7b6447c_3.tar.bz2")).isFalse();
    // conda's hand-made fixture leaves libgcc-ng out; conda-index keeps every name's newest version
    assertThat(current.get("packages").has("libgcc-ng-8.2.0-hdf63c60_1.tar.bz2")).isTrue();
    assertThat(current.get("info")).isEqualTo(expected.get("info"));
    assertThat(current.get("repodata_version")).isEqualTo(expected.get("repodata_version"));
  }

  @Test
  void pytorchKeepsEveryBuildOfTheNewestVersionOfEachName() throws Exception {
    ObjectNode pytorch = Fixtures.json("large/pytorch-linux-64/repodata.json");
    SortedMap<String, String> packages = Fixtures.section(pytorch, "packages");

    ObjectNode current = Fixtures.parse(CurrentRepodata.build("linux-64", packages, new TreeMap<>(), ORDER));

    Map<String, String> newest = new HashMap<>();
    for (JsonNode record : pytorch.get("packages")) {
      newest.merge(record.get("name").asText(), record.get("version").asText(),
          (a, b) -> ORDER.compare(a, b) >= 0 ? a : b);
    }
    JsonNode kept = current.get("packages");
    assertThat(kept.size()).isLessThan(pytorch.get("packages").size()).isGreaterThanOrEqualTo(newest.size());
    for (Map.Entry<String, JsonNode> e : pytorch.get("packages").properties()) {
      String name = e.getValue().get("name").asText();
      if (ORDER.compare(e.getValue().get("version").asText(), newest.get(name)) == 0) {
        assertThat(kept.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
      }
    }
    for (Map.Entry<String, JsonNode> e : kept.properties()) {
      assertThat(pytorch.get("packages").get(e.getKey())).as("only records from the input").isEqualTo(e.getValue());
    }
  }

  @Test
  void addsTheNewestVersionThatSatisfiesAnOtherwiseUnsatisfiableDependencyTransitively() throws Exception {
    SortedMap<String, String> conda = new TreeMap<>();
    put(conda, "app", "2.0", "0", "lib <2");
    put(conda, "lib", "2.1", "0");
    put(conda, "lib", "1.5", "0", "zlib 1.2.*");
    put(conda, "lib", "1.4", "0");
    put(conda, "zlib", "1.3", "0");
    put(conda, "zlib", "1.2.13", "0");
    put(conda, "zlib", "1.2.11", "0");

    JsonNode kept = Fixtures.parse(CurrentRepodata.build("linux-64", new TreeMap<>(), conda, ORDER)).get("packages.conda");

    assertThat(names(kept)).containsExactlyInAnyOrder(
        "app-2.0-0.conda", "lib-2.1-0.conda", "lib-1.5-0.conda", "zlib-1.3-0.conda", "zlib-1.2.13-0.conda");
  }

  @Test
  void addsNothingWhenTheNewestVersionsSatisfyEveryDependency() throws Exception {
    SortedMap<String, String> conda = new TreeMap<>();
    put(conda, "app", "2.0", "0", "lib >=1.0,<3", "__glibc >=2.17", "not-in-channel");
    put(conda, "lib", "2.1", "0");
    put(conda, "lib", "2.1", "1");
    put(conda, "lib", "1.0", "0");

    JsonNode kept = Fixtures.parse(CurrentRepodata.build("linux-64", new TreeMap<>(), conda, ORDER)).get("packages.conda");

    assertThat(names(kept)).containsExactlyInAnyOrder("app-2.0-0.conda", "lib-2.1-0.conda", "lib-2.1-1.conda");
  }

  @Test
  void keepsANewestFeatureFreeBuildBesideFeatureCarryingOnes() throws Exception {
    SortedMap<String, String> tar = new TreeMap<>();
    tar.put("blas-2.0-mkl.tar.bz2", "{\"name\":\"blas\",\"version\":\"2.0\",\"build\":\"mkl\",\"track_features\":\"mkl\"}");
    tar.put("blas-1.1-plain.tar.bz2", "{\"name\":\"blas\",\"version\":\"1.1\",\"build\":\"plain\"}");
    tar.put("blas-1.0-plain.tar.bz2", "{\"name\":\"blas\",\"version\":\"1.0\",\"build\":\"plain\"}");

    JsonNode kept = Fixtures.parse(CurrentRepodata.build("linux-64", tar, new TreeMap<>(), ORDER)).get("packages");

    assertThat(names(kept)).containsExactlyInAnyOrder("blas-2.0-mkl.tar.bz2", "blas-1.1-plain.tar.bz2");
  }

  @Test
  void carriesBaseUrlLikeTheFullRepodata() throws Exception {
    ObjectNode current = Fixtures.parse(CurrentRepodata.build(
        "noarch", new TreeMap<>(), new TreeMap<>(), ORDER, Optional.of("https://cdn/x/noarch")));

    assertThat(current.at("/info/base_url").asText()).isEqualTo("https://cdn/x/noarch/");
    assertThat(current.get("repodata_version").asInt()).isEqualTo(2);
  }

  @Test
  void aVersionTheComparatorRejectsDoesNotBreakTheBuild() throws Exception {
    SortedMap<String, String> conda = new TreeMap<>();
    put(conda, "odd", "x!1", "0");
    put(conda, "odd", "1.0", "0");

    JsonNode kept = Fixtures.parse(CurrentRepodata.build("linux-64", new TreeMap<>(), conda, ORDER)).get("packages.conda");

    assertThat(names(kept)).containsExactly("odd-1.0-0.conda");
  }

  private static void put(SortedMap<String, String> section, String name, String version, String build, String... depends) {
    ObjectNode record = Fixtures.JSON.createObjectNode().put("name", name).put("version", version).put("build", build);
    for (String d : depends) {
      record.withArray("depends").add(d);
    }
    section.put(name + "-" + version + "-" + build + ".conda", RepodataRecords.toJson(record));
  }

  private static Iterable<String> names(JsonNode section) {
    return () -> StreamSupport.stream(section.properties().spliterator(), false).map(Map.Entry::getKey).iterator();
  }
}
