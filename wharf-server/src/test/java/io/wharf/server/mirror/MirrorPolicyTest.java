package io.wharf.server.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.conda.archive.PackageWriter;
import io.wharf.server.testing.CveChannels;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second Wharf holds the real zlib build (CVE-2022-37434, score 9.8) in both formats and a GPL-3 package;
 * mirrors in this one follow a policy that keeps out GPL3 and open CVE scores above 8.9.
 */
class MirrorPolicyTest {
  static final String ZLIB = CveChannels.ZLIB;
  static final String ZLIB_BZ2 = "zlib-1.2.11-h7b6447c_3.tar.bz2";
  static final String GPL = "gplthing-1.0-0.tar.bz2";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path upData;
  @TempDir static Path data;
  @TempDir static Path work;
  static TestServer upstream;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    upstream = TestServer.start(upData);
    upstream.createChannel("up", "public");
    for (String p : List.of(ZLIB, ZLIB_BZ2)) {
      assertThat(upstream.upload("up", Fixtures.realPackage(p)).statusCode()).isEqualTo(201);
    }
    Path gpl = work.resolve(GPL);
    PackageWriter.writeTarBz2(gpl, Map.of("info/index.json", ("{\"name\":\"gplthing\",\"version\":\"1.0\","
        + "\"build\":\"0\",\"build_number\":0,\"subdir\":\"linux-64\",\"license\":\"GPL-3.0-only\","
        + "\"depends\":[]}").getBytes(StandardCharsets.UTF_8)));
    assertThat(upstream.upload("up", GPL, gpl, "").statusCode()).isEqualTo(201);
    upstream.createChannel("deps", "public");
    uploadSmall("deps", "app-1.0-0.tar.bz2", "linux-64", "[\"helper >=0.1\", \"__glibc >=2.17\"]");
    uploadSmall("deps", "helper-0.2-0.tar.bz2", "noarch", "[]");
    uploadSmall("deps", "other-1.0-0.tar.bz2", "linux-64", "[]");
    server = TestServer.start(data);
  }

  @AfterAll
  static void stop() {
    for (TestServer s : new TestServer[] {server, upstream}) {
      if (s != null) {
        s.close();
      }
    }
  }

  @Test
  void policyKeepsZlibOutWhileItsCveIsOpenAndLetsItInOnceCleared() throws Exception {
    assertThat(post("/api/policies", "{\"name\":\"safe\",\"description\":\"no GPL3, no critical CVEs\","
        + "\"filters\":{\"license_not_in\":[\"GPL3\"],\"cve_score_max\":8.9}}").statusCode()).isEqualTo(201);
    CveChannels.importNvd(server);
    server.createChannel("prod", "public");
    assertThat(post("/api/mirrors", JSON.writeValueAsString(Map.of("name", "prod", "upstream",
        upstream.url() + "/conda/up", "channel", "prod", "mode", "active", "subdirs", List.of("linux-64"),
        "policy", "safe", "remove_excluded", true))).statusCode()).isEqualTo(201);

    // the dry run reads upstream and writes nothing
    JsonNode dry = adminJson("/api/mirrors/prod/dry-run");
    Map<String, JsonNode> byFile = byFilename(dry.path("files"));
    assertThat(dry.path("policy").asText()).isEqualTo("safe");
    assertThat(byFile.get(ZLIB).path("reason").asText()).isEqualTo("CVE score 9.8 (Reported) is above 8.9");
    assertThat(byFile.get(GPL).path("reason").asText()).isEqualTo("license family GPL3 is excluded");
    assertThat(published("prod")).isEmpty();
    HttpResponse<byte[]> csv = server.send(server.admin("/api/mirrors/prod/dry-run?format=csv").GET());
    assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
    assertThat(new String(csv.body(), StandardCharsets.UTF_8)).startsWith("subdir,filename,admitted,filter,reason\r\n")
        .contains("linux-64," + ZLIB + ",false,cve_score_max,CVE score 9.8 (Reported) is above 8.9\r\n");

    // the CVE was imported before zlib was ever stored here: the run keeps it out
    JsonNode first = MirrorEndToEndTest.run(server, "prod");
    assertThat(MirrorEndToEndTest.last(first).path("status").asText()).isEqualTo("succeeded");
    // why, per filter: in the job's progress, its result and the run history
    JsonNode why = JSON.readTree("{\"cve_score_max\":2,\"license_not_in\":1}");
    assertThat(first.path("progress").path("excluded").asLong()).isEqualTo(3);
    assertThat(first.path("progress").path("excluded_cve_score_max").asLong()).isEqualTo(2);
    assertThat(first.path("progress").path("excluded_license_not_in").asLong()).isEqualTo(1);
    assertThat(first.path("progress").path("files").asLong()).as("excluded files are not written ones").isZero();
    assertThat(MirrorEndToEndTest.last(first).path("excluded").asLong()).isEqualTo(3);
    assertThat(MirrorEndToEndTest.last(first).path("excluded_by")).isEqualTo(why);
    JsonNode history = adminJson("/api/mirrors/prod/runs");
    assertThat(history.get(0).path("excluded_by")).isEqualTo(why);
    assertThat(history.get(0).path("job_id").asLong()).isEqualTo(first.path("id").asLong());
    assertThat(published("prod")).isEmpty();

    // a review mirror without policy takes everything in; curating its copy lets the same bytes in
    server.createChannel("review", "private");
    MirrorEndToEndTest.create(server, "review", upstream.url() + "/conda/up", "review", "active",
        List.of("linux-64"));
    MirrorEndToEndTest.run(server, "review");
    MirrorEndToEndTest.run(server, "prod");
    assertThat(published("prod")).isEmpty();
    CveChannels.setStatus(server, "CVE-2022-37434", "review", "linux-64", ZLIB, "Cleared");
    assertThat(byFilename(adminJson("/api/mirrors/prod/dry-run").path("files")).get(ZLIB)
        .path("admitted").asBoolean()).isTrue();
    MirrorEndToEndTest.run(server, "prod");
    assertThat(published("prod")).containsExactly(ZLIB); // the .tar.bz2 copy is still Reported

    // curated Active again: the next run removes it, since the mirror removes what its policy newly excludes
    CveChannels.setStatus(server, "CVE-2022-37434", "review", "linux-64", ZLIB, "Active");
    JsonNode again = MirrorEndToEndTest.run(server, "prod");
    assertThat(MirrorEndToEndTest.last(again).path("removed").asLong()).as("zlib, newly excluded").isEqualTo(1);
    assertThat(published("prod")).isEmpty();
  }

  @Test
  void policiesAreCheckedAndShown() throws Exception {
    HttpResponse<byte[]> bad = post("/api/policies", "{\"name\":\"bad\",\"filters\":{\"licence_in\":[\"MIT\"]}}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(TestServer.json(bad).path("error").asText()).isEqualTo("invalid_policy");
    assertThat(post("/api/policies", "{\"name\":\"recent\",\"filters\":{\"newer_than_days\":30,"
        + "\"drop_tar_bz2\":true,\"include\":[\"zlib >=1.2\"]}}").statusCode()).isEqualTo(201);
    assertThat(post("/api/policies", "{\"name\":\"recent\"}").statusCode()).isEqualTo(409);
    JsonNode shown = adminJson("/api/policies/recent");
    assertThat(shown.path("filters").toString())
        .isEqualTo("{\"include\":[\"zlib >=1.2\"],\"newer_than_days\":30,\"drop_tar_bz2\":true}");
    assertThat(adminJson("/api/policies").findValuesAsText("name")).contains("recent");
    assertThat(server.send(server.request("/api/policies").GET()).statusCode()).isEqualTo(401);
    server.createChannel("fresh", "public");
    HttpResponse<byte[]> unknown = post("/api/mirrors", JSON.writeValueAsString(Map.of("name", "fresh",
        "upstream", upstream.url() + "/conda/up", "channel", "fresh", "mode", "passive", "policy", "nope")));
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(server.send(server.admin("/api/mirrors/fresh").GET()).statusCode()).isEqualTo(404);
  }

  @Test
  void includeDependenciesTakesTheIncludedPackagesDependenciesFromNoarch() throws Exception {
    assertThat(post("/api/policies", "{\"name\":\"app-only\",\"filters\":{\"include\":[\"app\"],"
        + "\"include_dependencies\":true}}").statusCode()).isEqualTo(201);
    server.createChannel("apps", "public");
    assertThat(post("/api/mirrors", JSON.writeValueAsString(Map.of("name", "apps", "upstream",
        upstream.url() + "/conda/deps", "channel", "apps", "mode", "passive", "subdirs", List.of("linux-64"),
        "policy", "app-only"))).statusCode()).isEqualTo(201);
    Map<String, JsonNode> dry = byFilename(adminJson("/api/mirrors/apps/dry-run").path("files"));
    assertThat(dry.get("helper-0.2-0.tar.bz2").path("admitted").asBoolean()).isTrue();
    assertThat(dry.get("other-1.0-0.tar.bz2").path("reason").asText())
        .isEqualTo("other 1.0 0 matches none of the included specs [app] and none of their dependencies");
    MirrorEndToEndTest.run(server, "apps");
    assertThat(published("apps")).containsExactly("app-1.0-0.tar.bz2", "helper-0.2-0.tar.bz2");
  }

  private static void uploadSmall(String channel, String filename, String subdir, String depends)
      throws Exception {
    String[] nvb = filename.replace(".tar.bz2", "").split("-");
    Path p = work.resolve(filename);
    PackageWriter.writeTarBz2(p, Map.of("info/index.json", ("{\"name\":\"" + nvb[0] + "\",\"version\":\""
        + nvb[1] + "\",\"build\":\"" + nvb[2] + "\",\"build_number\":0,\"subdir\":\"" + subdir + "\","
        + (subdir.equals("noarch") ? "\"noarch\":\"generic\"," : "") + "\"license\":\"MIT\",\"depends\":"
        + depends + "}").getBytes(StandardCharsets.UTF_8)));
    assertThat(upstream.upload(channel, filename, p, "").statusCode()).isEqualTo(201);
  }

  private static HttpResponse<byte[]> post(String path, String body) {
    return server.send(server.admin(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private static JsonNode adminJson(String path) {
    HttpResponse<byte[]> r = server.send(server.admin(path).GET());
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    return TestServer.json(r);
  }

  private static Map<String, JsonNode> byFilename(JsonNode files) {
    return StreamSupport.stream(files.spliterator(), false)
        .collect(Collectors.toMap(f -> f.path("filename").asText(), f -> f));
  }

  private static List<String> published(String channel) {
    return List.copyOf(MirrorEndToEndTest.records(server, "/conda/" + channel).keySet());
  }
}
