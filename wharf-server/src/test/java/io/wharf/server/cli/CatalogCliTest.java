package io.wharf.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.testing.CatalogChannels;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wharf search}, {@code wharf package} and {@code wharf licenses} against a real server, in-process. */
class CatalogCliTest {
  @TempDir static Path data;
  @TempDir static Path work;
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(data, Map.of("stats.flush.ms", "100"));
    CatalogChannels.fill(server, work, 3);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Runs {@code wharf args... --url <server>} anonymously. */
  static CliRun wharf(String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.addAll(List.of("--url", server.url()));
    return CliRun.of(all.toArray(String[]::new));
  }

  static CliRun ok(String... args) {
    CliRun r = wharf(args);
    assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isZero();
    assertThat(r.err()).isEmpty();
    return r;
  }

  @Test
  void searchPrintsOnePackagePerChannelExactMatchFirst() {
    List<List<String>> rows = ok("search", "zlib").rows();
    assertThat(rows.get(0)).containsExactly("CHANNEL", "NAME", "VERSION", "PLATFORMS", "LICENSE");
    assertThat(rows.subList(1, 3)).containsExactlyInAnyOrder(
        List.of("real", "zlib", "1.2.11", "linux-64", "Other"),
        List.of("mirror", "zlib", "1.2.11", "linux-64", "Other"));
    assertThat(rows).contains(List.of("real", "noarch-zlib-user", "1.0", "noarch", "MIT"),
        List.of("real", "needs-new-zlib", "1.0", "linux-64", "MIT"));
    assertThat(rows).noneMatch(r -> r.contains("secret-zlib-fork"));
  }

  @Test
  void searchFiltersByChannelPlatformAndLicenseFamily() {
    assertThat(ok("search", "zlib", "--channel", "mirror").rows())
        .containsExactly(List.of("CHANNEL", "NAME", "VERSION", "PLATFORMS", "LICENSE"),
            List.of("mirror", "zlib", "1.2.11", "linux-64", "Other"));
    assertThat(ok("search", "zlib", "--platform", "noarch").rows()).extracting(r -> r.get(1))
        .containsExactly("NAME", "noarch-zlib-user");
    assertThat(ok("search", "--license-family", "MIT").rows()).extracting(r -> r.get(1))
        .containsExactlyInAnyOrder("NAME", "needs-new-zlib", "sys-tool", "noarch-zlib-user");
    assertThat(ok("search", "--license-family", "Public Domain").rows()).extracting(r -> r.get(1))
        .contains("conda-forge-repodata-patches");
    assertThat(ok("search", "no-such-thing-at-all").out()).isEqualTo("no packages found\n");
  }

  @Test
  void searchJsonParsesAndCarriesTheResults() {
    JsonNode res = ok("search", "xtensr-io", "--json").json();
    JsonNode first = res.get("results").get(0);
    assertThat(first.get("name").asText()).isEqualTo("xtensor-io");
    assertThat(first.get("channel").asText()).isEqualTo("real");
    assertThat(first.get("match").asText()).isEqualTo("fuzzy");
    assertThat(res.get("total").asLong()).isPositive();
  }

  @Test
  void packageShowPrintsLatestVersionLicenseAndFiles() throws IOException {
    CliRun show = ok("package", "show", "--channel", "real", "zlib");
    assertThat(show.out().lines().toList()).startsWith(
        "zlib 1.2.11  (real)",
        "  Massively spiffy yet delicately unobtrusive compression library",
        "license:   zlib [Other]",
        "versions:  1.2.11",
        "platforms: linux-64",
        "downloads: 0");
    for (String f : List.of("zlib-1.2.11-h7b6447c_3.conda", "zlib-1.2.11-h7b6447c_3.tar.bz2")) {
      assertThat(show.rows()).contains(List.of("linux-64", f, Long.toString(Files.size(Fixtures.realPackage(f))),
          "0", "Other"));
    }
    JsonNode json = ok("package", "show", "-c", "real", "zlib", "--json").json();
    assertThat(json.get("name").asText()).isEqualTo("zlib");
    assertThat(json.get("files")).hasSize(2);
  }

  @Test
  void packageShowPrintsDownloadsInAllPerVersionAndPerFile() throws Exception {
    String conda = "zlib-1.2.11-h7b6447c_3.conda";
    for (int i = 0; i < 3; i++) {
      assertThat(server.get("/conda/mirror/linux-64/" + conda).statusCode()).isEqualTo(200);
    }
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
    while (server.getJson("/api/channels/mirror/packages/zlib").get("downloads").asLong() < 3
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }

    CliRun show = ok("package", "show", "--channel", "mirror", "zlib");

    assertThat(show.out().lines()).contains("downloads: 3 (1.2.11: 3)");
    assertThat(show.rows()).contains(List.of("platform", "file", "size", "downloads", "license family"));
    assertThat(show.rows()).contains(List.of("linux-64", conda,
        Long.toString(Files.size(Fixtures.realPackage(conda))), "3", "Other"));
  }

  @Test
  void packageDepsSaysWhereEachRequirementIsFound() {
    List<List<String>> rows = ok("package", "deps", "--channel", "real", "sys-tool").rows();
    assertThat(rows).containsExactly(
        List.of("linux-64/sys-tool-1.0-0.tar.bz2"),
        List.of("depends", "__glibc >=2.17", "system requirement"),
        List.of("depends", "zlib", "in real,mirror"),
        List.of("depends", "not-anywhere 1.*", "not in your channels"));
    JsonNode json = ok("package", "dependencies", "-c", "real", "sys-tool", "--json").json();
    assertThat(json.get("files").get(0).get("depends")).extracting(d -> d.get("name").asText())
        .containsExactly("__glibc", "zlib", "not-anywhere");
  }

  @Test
  void packageDependantsSayWhetherTheyAdmitTheLatestVersion() {
    CliRun run = ok("package", "dependants", "--channel", "real", "zlib");
    assertThat(run.out().lines().findFirst()).hasValue("latest zlib: 1.2.11");
    Map<String, String> admits = new LinkedHashMap<>();
    run.rows().stream().skip(1).forEach(r -> admits.put(r.get(1), r.get(r.size() - 1)));
    assertThat(admits).containsOnly(Map.entry("xtensor-io", "admits latest: yes"),
        Map.entry("needs-new-zlib", "admits latest: no"), Map.entry("noarch-zlib-user", "admits latest: yes"),
        Map.entry("sys-tool", "admits latest: yes"));

    assertThat(ok("package", "dependants", "-c", "real", "zlib", "--platform", "osx-64").rows())
        .extracting(r -> r.get(r.size() == 1 ? 0 : 1)).containsExactly("latest zlib: 1.2.11", "noarch-zlib-user");
    JsonNode json = ok("package", "dependants", "-c", "real", "zlib", "--json").json();
    assertThat(json.get("dependants")).extracting(d -> d.get("name").asText())
        .containsExactlyInAnyOrder("xtensor-io", "needs-new-zlib", "noarch-zlib-user", "sys-tool");
    assertThat(ok("package", "dependants", "-c", "real", "spiffy-test-app").out())
        .contains("no dependants in your channels");
  }

  @Test
  void licensesListsTwelveFamiliesWithCountsAndPackages() {
    CliRun run = ok("licenses");
    List<String> families = run.out().lines().filter(l -> !l.startsWith(" ")).toList();
    assertThat(families).hasSize(12);
    assertThat(families).contains("MIT                3 package(s)", "AGPL               0 package(s)");
    // Counts per channel under each family; the names are a search away (wharf search --license-family).
    String n = System.lineSeparator();
    assertThat(run.out()).contains("MIT                3 package(s)" + n + String.format("    %-20s %5d", "real", 3) + n)
        .contains(String.format("    %-20s %5d", "bulk", 3) + n)
        .doesNotContain("hidden");
    JsonNode json = ok("licenses", "--json").json();
    assertThat(json).hasSize(12);
    assertThat(json.get(0).get("family").asText()).isEqualTo("AGPL");
  }

  @Test
  void unknownChannelOrPackageAndBadFamilyFailWithOneClearLine() {
    assertFails(wharf("package", "show", "--channel", "nope", "zlib"),
        "error: no such channel, or it needs a token: pass --token or set WHARF_TOKEN (HTTP 401)");
    assertFails(wharf("package", "deps", "--channel", "real", "nope"),
        "error: package 'nope' does not exist in channel 'real' (HTTP 404)");
    assertFails(wharf("package", "dependants", "--channel", "hidden", "secret-zlib-fork"),
        "error: no such channel, or it needs a token: pass --token or set WHARF_TOKEN (HTTP 401)");
    assertFails(wharf("search", "zlib", "--channel", "nope"),
        "error: no such channel, or it needs a token: pass --token or set WHARF_TOKEN (HTTP 401)");
    assertFails(wharf("search", "zlib", "--license-family", "nonsense"),
        "error: unknown license family 'nonsense' (HTTP 400)");
  }

  @Test
  void aTokenThatMayReadAPrivateChannelSeesItsPackages() {
    CliRun show = ok("package", "show", "-c", "hidden", "secret-zlib-fork", "--token", TestServer.ADMIN_TOKEN);
    assertThat(show.out()).startsWith("secret-zlib-fork 1.0  (hidden)");
    assertThat(ok("search", "secret-zlib-fork", "--token", TestServer.ADMIN_TOKEN).rows())
        .contains(List.of("hidden", "secret-zlib-fork", "1.0", "linux-64", "MIT"));
    assertThat(ok("search", "secret-zlib-fork").out()).isEqualTo("no packages found\n");
  }

  private static void assertFails(CliRun run, String line) {
    assertThat(run.exit()).isNotZero();
    assertThat(run.out()).isEmpty();
    assertThat(run.errLines()).containsExactly(line);
  }
}
