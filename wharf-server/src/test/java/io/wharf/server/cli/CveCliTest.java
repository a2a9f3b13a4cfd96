package io.wharf.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.conda.archive.PackageWriter;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wharf cve ...} against a real server holding the real zlib package and small requests packages. */
class CveCliTest {
  private static final String ZLIB = "zlib-1.2.11-h7b6447c_3.conda";
  @TempDir static Path data;
  @TempDir static Path work;
  static TestServer server;

  @BeforeAll
  static void start() throws IOException {
    server = TestServer.start(data);
    server.createChannel("vulns", "public");
    assertThat(server.upload("vulns", Fixtures.realPackage(ZLIB)).statusCode()).isEqualTo(201);
    for (String v : List.of("2.19.0", "2.30.0", "2.31.0")) {
      upload("requests", v);
    }
    CliRun imported = admin("cve", "import", Fixtures.root().resolve("vuln/nvd").toString());
    assertThat(imported.exit()).as(imported.err()).isZero();
    assertThat(imported.out()).contains("records read 6, added 6, updated 0");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static void upload(String name, String version) throws IOException {
    String index = "{\"name\":\"" + name + "\",\"version\":\"" + version + "\",\"build\":\"0\",\"build_number\":0,"
        + "\"subdir\":\"noarch\",\"noarch\":\"python\",\"depends\":[]}";
    Path p = work.resolve(name + "-" + version + "-0.tar.bz2");
    PackageWriter.writeTarBz2(p, Map.of("info/index.json", index.getBytes(StandardCharsets.UTF_8)));
    assertThat(server.upload("vulns", p.getFileName().toString(), p, "").statusCode()).isEqualTo(201);
  }

  static CliRun admin(String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.addAll(List.of("--url", server.url(), "--token", TestServer.ADMIN_TOKEN));
    return CliRun.of(all.toArray(String[]::new));
  }

  private static JsonNode fileCves(String subdir, String filename) {
    return server.getJson("/api/channels/vulns/files/" + subdir + "/" + filename + "/cves");
  }

  @Test
  void theRealZlibFileShowsTheCriticalZlibCve() {
    JsonNode zlib = fileCves("linux-64", ZLIB);

    assertThat(zlib.path("cve_score").asDouble()).isEqualTo(9.8);
    assertThat(zlib.path("cve_count").asInt()).isEqualTo(1);
    assertThat(zlib.path("cve_status").asText()).isEqualTo("Reported");
    assertThat(zlib.path("cves").get(0).path("id").asText()).isEqualTo("CVE-2022-37434");
    assertThat(zlib.path("cves").get(0).path("severity").asText()).isEqualTo("CRITICAL");
  }

  @Test
  void fileListingsAndTheFileViewCarryTheCveColumns() {
    JsonNode listed = server.getJson("/api/channels/vulns/files?subdir=linux-64");
    JsonNode shown = server.getJson("/api/channels/vulns/files/linux-64/" + ZLIB);
    JsonNode clean = server.getJson("/api/channels/vulns/files/noarch/requests-2.31.0-0.tar.bz2");

    assertThat(listed).singleElement().satisfies(f -> {
      assertThat(f.path("cve_score").asDouble()).isEqualTo(9.8);
      assertThat(f.path("cve_count").asInt()).isEqualTo(1);
    });
    assertThat(shown.path("cve_status").asText()).isEqualTo("Reported");
    assertThat(clean.path("cve_count").asInt()).isZero();
    assertThat(clean.path("cve_score").isNull()).isTrue();
    assertThat(clean.path("cve_status").isNull()).isTrue();
  }

  @Test
  void listFiltersByPackageAndScoreAndShowPrintsTheAffectedFiles() {
    CliRun zlib = admin("cve", "list", "--package", "zlib");
    CliRun high = admin("cve", "list", "--min-score", "7", "--json");
    CliRun show = admin("cve", "show", "CVE-2023-32681");

    assertThat(zlib.exit()).as(zlib.err()).isZero();
    assertThat(zlib.out().lines()).singleElement().asString().contains("CVE-2022-37434", "9.8", "CRITICAL");
    assertThat(high.out().lines().toList()).hasSize(2).allSatisfy(l -> assertThat(l).containsAnyOf(
        "CVE-2022-37434", "CVE-2018-18074"));
    assertThat(show.out()).contains("6.1", "requests-2.19.0-0.tar.bz2", "requests-2.30.0-0.tar.bz2")
        .doesNotContain("requests-2.31.0-0.tar.bz2");
  }

  @Test
  void theApiListPagesByIdAndFiltersByPublicationAndScore() {
    var first = server.get("/api/cves?limit=2");
    List<String> all = server.getJson("/api/cves?limit=100").findValuesAsText("id");
    List<String> since2023 = server.getJson("/api/cves?published_from=2023-01-01").findValuesAsText("id");
    var badScore = server.get("/api/cves?min_score=high");

    assertThat(all).containsExactly("CVE-2018-18074", "CVE-2022-37434", "CVE-2023-32681");
    assertThat(TestServer.json(first).findValuesAsText("id")).containsExactly("CVE-2018-18074", "CVE-2022-37434");
    String next = first.headers().firstValue("Link").orElseThrow().replaceAll("^<([^>]*)>.*$", "$1");
    assertThat(server.getJson(next).findValuesAsText("id")).containsExactly("CVE-2023-32681");
    assertThat(since2023).containsExactly("CVE-2023-32681");
    assertThat(badScore.statusCode()).isEqualTo(400);
    assertThat(server.getJson("/api/cves?max_score=7").findValuesAsText("id")).containsExactly("CVE-2023-32681");
    assertThat(server.getJson("/api/cves?modified_to=2024-01-01").findValuesAsText("id"))
        .containsExactly("CVE-2023-32681");
    assertThat(server.getJson("/api/cves?modified_from=2025-05-01&modified_to=2025-06-01").findValuesAsText("id"))
        .containsExactly("CVE-2022-37434");
  }

  @Test
  void aFileUploadedAfterTheImportIsMatchedOnArrival() throws IOException {
    upload("requests", "2.28.0");

    JsonNode cves = fileCves("noarch", "requests-2.28.0-0.tar.bz2");

    assertThat(cves.path("cves").findValuesAsText("id")).containsExactly("CVE-2023-32681");
  }

  @Test
  void curationDrivesTheFileScoreAndStatus() {
    String file = "requests-2.19.0-0.tar.bz2";
    assertThat(fileCves("noarch", file).path("cve_score").asDouble()).isEqualTo(7.5);

    CliRun cleared = admin("cve", "set-status", "CVE-2018-18074", "cleared", "--channel", "vulns", "--subdir",
        "noarch", "--file", file, "--note", "no proxy in use");
    CliRun active = admin("cve", "set-status", "CVE-2023-32681", "Active", "--channel", "vulns", "--package",
        "requests");

    assertThat(cleared.exit()).as(cleared.err()).isZero();
    assertThat(active.exit()).as(active.err()).isZero();
    JsonNode summary = fileCves("noarch", file);
    assertThat(summary.path("cve_score").asDouble()).isEqualTo(6.1);
    assertThat(summary.path("cve_status").asText()).isEqualTo("Active");
    assertThat(summary.path("cve_count").asInt()).isEqualTo(2);

    admin("cve", "set-status", "CVE-2023-32681", "Mitigated", "--channel", "vulns", "--subdir", "noarch",
        "--file", file);
    JsonNode curated = fileCves("noarch", file);
    assertThat(curated.path("cve_score").asDouble()).isEqualTo(7.5);
    assertThat(curated.path("cve_status").asText()).isEqualTo("Mitigated");
  }

  @Test
  void importByAnAnonymousCallerIsRefusedInOneLine() {
    CliRun r = CliRun.of("cve", "import", Fixtures.root().resolve("vuln/nvd/CVE-2022-37434.json").toString(),
        "--url", server.url());

    assertThat(r.exit()).isNotZero();
    assertThat(r.err().strip().lines()).hasSize(1);
  }

  @Test
  void aBadStatusIsRefusedWithTheAllowedValues() {
    CliRun r = admin("cve", "set-status", "CVE-2022-37434", "fixed", "--channel", "vulns", "--package", "zlib");

    assertThat(r.exit()).isNotZero();
    assertThat(r.err()).contains("Active, Reported, Disputed, Mitigated, Cleared");
  }
}
