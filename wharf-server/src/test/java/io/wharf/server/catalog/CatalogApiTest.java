package io.wharf.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.conda.archive.PackageWriter;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.RecordPackages;
import io.wharf.server.testing.TestServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Search, package details, dependencies, dependants and license families through the REST API, on a
 * channel of every real fixture package plus real records of python, pandas, openssl and xz.
 */
class CatalogApiTest {
  @TempDir static Path data;
  @TempDir static Path built;
  static TestServer server;

  @BeforeAll
  static void fill() throws IOException {
    server = TestServer.start(data);
    server.createChannel("real", "public");
    server.createChannel("big", "public");
    server.createChannel("hidden", "private");
    try (Stream<Path> s = Files.list(Fixtures.root().resolve("real/packages"))) {
      for (Path p : s.sorted().toList()) {
        assertThat(server.upload("real", p).statusCode()).isEqualTo(201);
      }
    }
    for (Path p : RecordPackages.fromIndex4(built, Set.of("python", "pandas", "openssl", "xz"))) {
      HttpResponse<byte[]> res = server.upload("big", p);
      assertThat(res.statusCode()).as(p.getFileName() + " " + new String(res.body())).isEqualTo(201);
    }
    upload("real", "needs-new-zlib", "1.0", "0", "linux-64", List.of("zlib >=1.3"), "noarch-free");
    upload("real", "sys-tool", "2.0", "0", "linux-64", List.of("__glibc >=2.17", "zlib", "not-anywhere 1.*"), "x");
    upload("real", "noarch-zlib-user", "1.0", "0", "noarch", List.of("zlib 1.2.*"), "y");
    upload("hidden", "secret-zlib-fork", "1.0", "0", "linux-64", List.of("zlib"), "z");
  }

  private static void upload(String channel, String name, String version, String build, String subdir,
      List<String> depends, String salt) throws IOException {
    String deps = depends.stream().map(d -> "\"" + d + "\"").reduce((a, b) -> a + "," + b).orElse("");
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("info/index.json", ("{\"name\":\"" + name + "\",\"version\":\"" + version + "\",\"build\":\"" + build
        + "\",\"build_number\":0,\"depends\":[" + deps + "],\"license\":\"MIT\",\"subdir\":\"" + subdir + "\""
        + (subdir.equals("noarch") ? ",\"noarch\":\"generic\"" : "") + "}").getBytes(StandardCharsets.UTF_8));
    files.put("info/about.json", ("{\"summary\":\"test package " + salt + "\"}").getBytes(StandardCharsets.UTF_8));
    Path p = built.resolve(name + "-" + version + "-" + build + ".tar.bz2");
    PackageWriter.writeTarBz2(p, files);
    assertThat(server.upload(channel, p).statusCode()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static List<String> names(JsonNode results) {
    List<String> out = new ArrayList<>();
    results.get("results").forEach(r -> out.add(r.get("name").asText()));
    return out;
  }

  @Test
  void searchRanksExactThenPrefixThenSubstringThenMisspellingsThenText() {
    JsonNode exact = server.getJson("/api/search?q=zlib");
    assertThat(exact.get("results").get(0).get("name").asText()).isEqualTo("zlib");
    assertThat(exact.get("results").get(0).get("match").asText()).isEqualTo("exact");
    assertThat(exact.get("results").get(0).get("latest_version").asText()).isEqualTo("1.2.11");
    assertThat(exact.get("results").get(0).get("platforms")).extracting(JsonNode::asText).containsExactly("linux-64");

    JsonNode prefix = server.getJson("/api/search?q=conda-index");
    assertThat(prefix.get("results").get(0).get("match").asText()).isEqualTo("prefix");
    assertThat(names(prefix)).contains("conda-index-pkg-a");

    JsonNode substring = server.getJson("/api/search?q=index-pkg");
    assertThat(substring.get("results").get(0).get("name").asText()).isEqualTo("conda-index-pkg-a");
    assertThat(substring.get("results").get(0).get("match").asText()).isEqualTo("substring");

    JsonNode typo = server.getJson("/api/search?q=pnadas");
    assertThat(names(typo)).contains("pandas");
    assertThat(typo.get("results").get(0).get("match").asText()).isEqualTo("fuzzy");

    JsonNode text = server.getJson("/api/search?q=compression");
    assertThat(names(text)).contains("zlib");
  }

  @Test
  void searchFiltersByChannelPlatformAndLicenseFamilyAndPaginates() {
    assertThat(names(server.getJson("/api/search?q=zlib&channel=big"))).doesNotContain("zlib");
    assertThat(names(server.getJson("/api/channels/real/search?q=zlib"))).contains("zlib");
    assertThat(names(server.getJson("/api/search?q=&platform=noarch&per_page=100")))
        .contains("noarch-zlib-user", "spiffy-test-app").doesNotContain("zlib");
    JsonNode psf = server.getJson("/api/search?q=&license_family=PSF&per_page=100");
    assertThat(names(psf)).contains("python").doesNotContain("pandas");
    psf.get("results").forEach(r -> assertThat(r.get("license_families")).extracting(JsonNode::asText)
        .contains("PSF"));

    JsonNode page1 = server.getJson("/api/search?q=&per_page=5&page=1");
    JsonNode page2 = server.getJson("/api/search?q=&per_page=5&page=2");
    assertThat(page1.get("total").asLong()).isGreaterThan(5);
    assertThat(page1.get("results")).hasSize(5);
    assertThat(names(page1)).doesNotContainAnyElementsOf(names(page2));
    assertThat(server.get("/api/search?q=x&per_page=1000").statusCode()).isEqualTo(400);
    assertThat(server.get("/api/search?q=x&license_family=nonsense").statusCode()).isEqualTo(400);
  }

  @Test
  void privateChannelsAreSearchedOnlyByCallersWhoMayReadThem() {
    assertThat(names(server.getJson("/api/search?q=secret-zlib-fork"))).isEmpty();
    JsonNode asAdmin = TestServer.json(server.send(server.admin("/api/search?q=secret-zlib-fork").GET()));
    assertThat(names(asAdmin)).containsExactly("secret-zlib-fork");
    assertThat(server.get("/api/channels/hidden/search?q=x").statusCode()).as("anonymous: a token may help")
        .isEqualTo(401);
  }

  @Test
  void hostileQueriesAreJustText() {
    for (String q : List.of("%25", "_", "%22", "*", "a%22b", "-x", "%27%3B%20DROP%20TABLE%20channels%3B", "%E2%9C%93",
        "NEAR(", "zlib%20OR%20x")) {
      HttpResponse<byte[]> res = server.get("/api/search?q=" + q);
      assertThat(res.statusCode()).as(q).isEqualTo(200);
    }
    assertThat(server.getJson("/api/channels").size()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void packageDetailsGiveLatestVersionVersionsPlatformsLicenseAndFullMetadata() {
    JsonNode python = server.getJson("/api/channels/big/packages/python");
    assertThat(python.get("latest_version").asText()).isEqualTo("3.7.0");
    assertThat(python.get("versions").get(0).asText()).isEqualTo("3.7.0");
    assertThat(python.get("versions")).extracting(JsonNode::asText).contains("2.7.13", "3.6.5");
    assertThat(python.get("license_family").asText()).isEqualTo("PSF");
    assertThat(python.get("platforms")).extracting(JsonNode::asText).containsExactly("linux-64");

    JsonNode zlib = server.getJson("/api/channels/real/packages/zlib");
    assertThat(zlib.get("summary").asText()).isEqualTo("Massively spiffy yet delicately unobtrusive compression library");
    assertThat(zlib.get("home").asText()).isEqualTo("http://zlib.net/");
    assertThat(zlib.get("license").asText()).isEqualTo("zlib");
    assertThat(zlib.get("license_family").asText()).isEqualTo("Other");
    JsonNode file = zlib.get("files").get(0);
    assertThat(file.get("license_family").asText()).isEqualTo("Other");
    assertThat(file.get("metadata").get("index_json").get("name").asText()).isEqualTo("zlib");
    assertThat(file.get("metadata").get("about_json").get("home").asText()).isEqualTo("http://zlib.net/");
    assertThat(file.get("metadata").get("run_exports").get("weak").get(0).asText())
        .isEqualTo("zlib >=1.2.11,<1.3.0a0");
    assertThat(file.get("record").get("md5").asText()).hasSize(32);
    assertThat(server.get("/api/channels/real/packages/nope").statusCode()).isEqualTo(404);
  }

  @Test
  void dependenciesAreParsedLinkedToReadableChannelsAndVirtualPackagesAreSystemRequirements() {
    JsonNode deps = server.getJson("/api/channels/real/packages/sys-tool/dependencies");
    JsonNode depends = deps.get("files").get(0).get("depends");
    assertThat(depends).hasSize(3);
    JsonNode glibc = depends.get(0);
    assertThat(glibc.get("name").asText()).isEqualTo("__glibc");
    assertThat(glibc.get("virtual").asBoolean()).isTrue();
    assertThat(glibc.get("version_spec").asText()).isEqualTo(">=2.17");
    JsonNode zlib = depends.get(1);
    assertThat(zlib.get("available_in")).extracting(JsonNode::asText).containsExactly("real");
    assertThat(depends.get(2).get("available_in")).isEmpty();

    JsonNode pandas = server.getJson("/api/channels/big/packages/pandas/dependencies");
    JsonNode firstDepends = pandas.get("files").get(0).get("depends");
    boolean linksPython = false;
    for (JsonNode r : firstDepends) {
      if (r.get("name").asText().equals("python")) {
        linksPython = r.get("available_in").toString().contains("big");
      }
    }
    assertThat(linksPython).isTrue();
  }

  @Test
  void dependantsSayWhetherTheirSpecAdmitsTheLatestVersion() {
    JsonNode zlib = server.getJson("/api/channels/real/packages/zlib/dependants");
    assertThat(zlib.get("latest_version").asText()).isEqualTo("1.2.11");
    Map<String, String> admits = new LinkedHashMap<>();
    zlib.get("dependants").forEach(r -> admits.put(r.get("name").asText(), r.get("admits_latest").asText()));
    assertThat(admits).containsEntry("xtensor-io", "yes")      // zlib >=1.2.11,<1.3.0a0
        .containsEntry("needs-new-zlib", "no")                 // zlib >=1.3
        .containsEntry("noarch-zlib-user", "yes")              // zlib 1.2.*
        .containsEntry("sys-tool", "yes")                      // zlib
        .doesNotContainKey("secret-zlib-fork");                // private channel, anonymous caller

    JsonNode linux = server.getJson("/api/channels/real/packages/zlib/dependants?platform=osx-64");
    List<String> onOsx = new ArrayList<>();
    linux.get("dependants").forEach(r -> onOsx.add(r.get("name").asText()));
    assertThat(onOsx).containsExactly("noarch-zlib-user"); // noarch counts for every platform

    JsonNode python = server.getJson("/api/channels/big/packages/python/dependants");
    assertThat(python.get("latest_version").asText()).isEqualTo("3.7.0");
    Map<String, String> bySpec = new LinkedHashMap<>();
    python.get("dependants").forEach(r -> {
      if (r.get("name").asText().equals("pandas")) {
        bySpec.put(r.get("spec").asText(), r.get("admits_latest").asText());
      }
    });
    assertThat(bySpec).containsEntry("python >=3.7,<3.8.0a0", "yes").containsEntry("python >=3.6,<3.7.0a0", "no")
        .containsEntry("python >=2.7,<2.8.0a0", "no");
  }

  @Test
  void licenseFamiliesCountPackagesPerChannel() {
    JsonNode groups = server.getJson("/api/licenses");
    assertThat(groups).hasSize(12);
    Map<String, JsonNode> byFamily = new LinkedHashMap<>();
    groups.forEach(g -> byFamily.put(g.get("family").asText(), g));
    assertThat(byFamily.keySet()).containsExactly("AGPL", "GPL2", "GPL3", "LGPL", "BSD", "MIT", "Apache", "PSF",
        "Public Domain", "Proprietary", "Other", "None");
    assertThat(byFamily.get("PSF").get("channels").get("big").get("package_count").asLong()).isEqualTo(1);
    assertThat(byFamily.get("Apache").get("channels").get("big").get("package_count").asLong()).isEqualTo(1);
    assertThat(byFamily.get("MIT").get("channels").get("real").get("package_count").asLong())
        .as("needs-new-zlib, sys-tool, noarch-zlib-user; not the private fork").isEqualTo(3);
    assertThat(byFamily.get("MIT").get("channels").has("hidden")).isFalse();
    assertThat(byFamily.get("MIT").get("package_count").asLong()).isEqualTo(3);

    // The packages themselves are a paged search away.
    String bsdInReal = byFamily.get("BSD").get("channels").get("real").get("packages_url").asText();
    assertThat(bsdInReal).isEqualTo("/api/search?license_family=bsd&channel=real");
    JsonNode bsd = server.getJson(bsdInReal);
    assertThat(bsd.get("total").asLong())
        .isEqualTo(byFamily.get("BSD").get("channels").get("real").get("package_count").asLong());
    assertThat(bsd.get("results")).extracting(r -> r.get("name").asText()).contains("xtensor-io", "other-package");
    JsonNode none = server.getJson(byFamily.get("None").get("channels").get("real").get("packages_url").asText());
    assertThat(none.get("results")).extracting(r -> r.get("name").asText()).contains("spiffy-test-app");
    assertThat(server.getJson(byFamily.get("Public Domain").get("packages_url").asText()).get("results"))
        .extracting(r -> r.get("name").asText()).contains("conda-forge-repodata-patches");
    assertThat(byFamily.get("MIT").get("reference_url").asText()).startsWith("https://");
  }
}
