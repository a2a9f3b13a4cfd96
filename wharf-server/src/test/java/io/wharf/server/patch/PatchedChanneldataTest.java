package io.wharf.server.patch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * channeldata.json is computed from the records as repodata publishes them (conda-index builds it from the
 * patched repodata): a patched field shows there, a name whose files a patch removes leaves it, a revoked
 * file stays as repodata keeps it, and removing the patches restores the original bytes and ETag.
 */
class PatchedChanneldataTest {
  private static final String ZLIB_TAR = "zlib-1.2.11-h7b6447c_3.tar.bz2";
  /** Two builds of one version: the noarch one is the newer, so channeldata takes its fields. */
  private static final String NEWEST = "conda-index-pkg-a-1.0-pyhed9eced_1.tar.bz2";
  private static final String OLDER = "conda-index-pkg-a-1.0-py27h5e241af_0.tar.bz2";
  private static final String PKG_A = "conda-index-pkg-a";

  @TempDir static Path data;
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(data);
    for (String c : List.of("licensed", "gone", "revoked")) {
      assertThat(server.createChannel(c, "public").statusCode()).isEqualTo(201);
      for (String fn : List.of(ZLIB_TAR, "zlib-1.2.11-h7b6447c_3.conda", NEWEST, OLDER)) {
        assertThat(server.upload(c, Fixtures.realPackage(fn)).statusCode()).isEqualTo(201);
      }
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static void put(String channel, String subdir, String body) {
    HttpResponse<byte[]> r = server.send(server.admin("/api/channels/" + channel + "/patches/" + subdir)
        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)));
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
  }

  private static void delete(String channel, String subdir) {
    assertThat(server.send(server.admin("/api/channels/" + channel + "/patches/" + subdir).DELETE()).statusCode())
        .isEqualTo(200);
  }

  private static HttpResponse<byte[]> channeldataResponse(String channel) {
    HttpResponse<byte[]> r = server.get("/conda/" + channel + "/channeldata.json");
    assertThat(r.statusCode()).isEqualTo(200);
    return r;
  }

  private static JsonNode packages(String channel) {
    return TestServer.json(channeldataResponse(channel)).get("packages");
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void aPatchedLicenseOfTheNewestBuildIsTheNamesLicenseAndRemovingThePatchRestoresTheBytes() {
    HttpResponse<byte[]> before = channeldataResponse("licensed");
    JsonNode original = TestServer.json(before).get("packages");
    assertThat(original.get(PKG_A).get("license").asText()).isEqualTo("BSD");

    put("licensed", "noarch", "{\"packages\":{\"" + NEWEST + "\":{\"license\":\"MIT\"}}}");
    assertThat(packages("licensed").get(PKG_A).get("license").asText()).isEqualTo("MIT");
    // an older build's patched license does not win over the newest build's
    put("licensed", "osx-64", "{\"packages\":{\"" + OLDER + "\":{\"license\":\"GPL-3.0-only\"}}}");
    JsonNode patched = packages("licensed");
    assertThat(patched.get(PKG_A).get("license").asText()).isEqualTo("MIT");
    assertThat(patched.get("zlib")).as("a name no patch touches").isEqualTo(original.get("zlib"));
    assertThat(TestServer.json(server.get("/conda/licensed/noarch/repodata.json")).get("packages").get(NEWEST)
        .get("license").asText()).as("repodata agrees").isEqualTo("MIT");

    delete("licensed", "noarch");
    delete("licensed", "osx-64");
    HttpResponse<byte[]> after = channeldataResponse("licensed");
    assertThat(after.body()).isEqualTo(before.body());
    assertThat(after.headers().firstValue("ETag")).isEqualTo(before.headers().firstValue("ETag"));
  }

  @Test
  void aNameWhoseFilesAPatchRemovesLeavesChanneldataAndRemovingThePatchBringsItBack() {
    HttpResponse<byte[]> before = channeldataResponse("gone");
    assertThat(texts(packages("gone").get(PKG_A).get("subdirs"))).containsExactly("noarch", "osx-64");

    // the .tar.bz2's name covers its .conda twin: zlib has no record left in repodata
    put("gone", "linux-64", "{\"remove\":[\"" + ZLIB_TAR + "\"]}");
    put("gone", "osx-64", "{\"remove\":[\"" + OLDER + "\"]}");
    JsonNode channeldata = TestServer.json(channeldataResponse("gone"));
    assertThat(channeldata.get("packages").has("zlib")).isFalse();
    assertThat(texts(channeldata.get("packages").get(PKG_A).get("subdirs"))).containsExactly("noarch");
    assertThat(channeldata.get("packages").get(PKG_A).get("reference_package").asText())
        .isEqualTo("noarch/" + NEWEST);
    // the subdirs themselves are still served (their repodata lists the files under "removed")
    assertThat(texts(channeldata.get("subdirs"))).contains("linux-64", "osx-64");
    JsonNode linux = TestServer.json(server.get("/conda/gone/linux-64/repodata.json"));
    assertThat(linux.get("packages")).isEmpty();
    assertThat(linux.get("packages.conda")).isEmpty();

    delete("gone", "linux-64");
    delete("gone", "osx-64");
    HttpResponse<byte[]> after = channeldataResponse("gone");
    assertThat(after.body()).isEqualTo(before.body());
    assertThat(after.headers().firstValue("ETag")).isEqualTo(before.headers().firstValue("ETag"));
    assertThat(TestServer.json(server.get("/conda/gone/linux-64/repodata.json")).get("packages").has(ZLIB_TAR))
        .isTrue();
  }

  @Test
  void aRevokedFileStaysInChanneldataAsRepodataKeepsListingIt() {
    put("revoked", "noarch", "{\"revoke\":[\"" + NEWEST + "\"]}");
    JsonNode record = TestServer.json(server.get("/conda/revoked/noarch/repodata.json")).get("packages").get(NEWEST);
    assertThat(record.get("revoked").asBoolean()).isTrue();
    JsonNode entry = packages("revoked").get(PKG_A);
    assertThat(entry.get("reference_package").asText()).isEqualTo("noarch/" + NEWEST);
    assertThat(texts(entry.get("subdirs"))).containsExactly("noarch", "osx-64");
  }
}
