package io.wharf.server.patch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStream;
import io.wharf.conda.repodata.Shards;
import io.wharf.server.db.Database;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Patch instructions set through the API change what every published form serves (repodata.json and
 * its zstd form, current_repodata, the name's shard) while the stored rows stay as uploaded, and
 * removing them restores the original bytes.
 */
class RepodataPatchTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TAR = "zlib-1.2.11-h7b6447c_3.tar.bz2";
  private static final String CONDA = "zlib-1.2.11-h7b6447c_3.conda";
  private static final String DEPENDS_PATCH = "{\"patch_instructions_version\":1,\"packages\":{\"" + TAR
      + "\":{\"depends\":[\"libgcc-ng >=9.9\"],\"constrains\":[\"zlib-ng <0\"],\"license_family\":null}}}";

  @TempDir static Path data;
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(data);
    for (String c : List.of("patched", "revoked", "removed", "refused", "forge")) {
      assertThat(server.createChannel(c, "public").statusCode()).isEqualTo(201);
      for (String fn : List.of(TAR, CONDA)) {
        assertThat(server.upload(c, Fixtures.realPackage(fn)).statusCode()).isEqualTo(201);
      }
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<byte[]> put(String channel, String subdir, String body) {
    return server.send(server.admin("/api/channels/" + channel + "/patches/" + subdir)
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(body)));
  }

  static HttpResponse<byte[]> delete(String channel, String subdir) {
    return server.send(server.admin("/api/channels/" + channel + "/patches/" + subdir).DELETE());
  }

  static JsonNode repodata(String channel, String file) throws Exception {
    return JSON.readTree(server.get("/conda/" + channel + "/linux-64/" + file).body());
  }

  static JsonNode shard(String channel, String name) throws Exception {
    JsonNode index = Shards.decode(server.get("/conda/" + channel + "/linux-64/repodata_shards.msgpack.zst").body(),
        10_000_000);
    String hex = index.get("shards").get(name).asText();
    return Shards.decode(server.get("/conda/" + channel + "/linux-64/shards/" + hex + ".msgpack.zst").body(),
        10_000_000);
  }

  static String etag(String channel, String file) {
    return server.get("/conda/" + channel + "/linux-64/" + file).headers().firstValue("ETag").orElseThrow();
  }

  static String storedRecord(String channel, String filename) {
    try (Database db = Database.openSqlite(data.resolve("wharf.db"))) {
      return db.jdbi().withHandle(h -> h.createQuery("SELECT f.record_json FROM package_files f JOIN channels c"
              + " ON c.id = f.channel_id WHERE c.name = :c AND f.filename = :f")
          .bind("c", channel).bind("f", filename).mapTo(String.class).one());
    }
  }

  @Test
  void patchedDependsAreServedInEveryFormAndRemovingThePatchRestoresTheOriginalBytes() throws Exception {
    byte[] before = server.get("/conda/patched/linux-64/repodata.json").body();
    String etagBefore = etag("patched", "repodata.json");
    String zstEtagBefore = etag("patched", "repodata.json.zst");
    String stored = storedRecord("patched", TAR);

    HttpResponse<byte[]> set = put("patched", "linux-64", DEPENDS_PATCH);
    assertThat(set.statusCode()).as(new String(set.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    JsonNode answer = TestServer.json(set);
    assertThat(answer.get("revision").asLong()).isEqualTo(1);
    assertThat(answer.get("files").asInt()).isEqualTo(1);
    assertThat(answer.get("republished_names").asInt()).isEqualTo(1);

    JsonNode plain = repodata("patched", "repodata.json");
    for (JsonNode record : List.of(plain.get("packages").get(TAR), plain.get("packages.conda").get(CONDA))) {
      assertThat(record.get("depends").toString()).isEqualTo("[\"libgcc-ng >=9.9\"]");
      assertThat(record.get("constrains").toString()).isEqualTo("[\"zlib-ng <0\"]");
      assertThat(record.has("license_family")).isFalse();
      assertThat(record.get("license").asText()).isEqualTo("zlib");
    }
    byte[] zst = server.get("/conda/patched/linux-64/repodata.json.zst").body();
    assertThat(JSON.readTree(new ZstdInputStream(new java.io.ByteArrayInputStream(zst)).readAllBytes()))
        .isEqualTo(plain);
    JsonNode current = repodata("patched", "current_repodata.json");
    assertThat(current.get("packages.conda").get(CONDA).get("depends").toString()).isEqualTo("[\"libgcc-ng >=9.9\"]");
    assertThat(shard("patched", "zlib").get("packages.conda").get(CONDA).get("depends").toString())
        .isEqualTo("[\"libgcc-ng >=9.9\"]");
    assertThat(storedRecord("patched", TAR)).isEqualTo(stored).contains("libgcc-ng >=7.3.0");

    JsonNode details = server.getJson("/api/channels/patched/files/linux-64/" + TAR);
    assertThat(details.get("patched").toString()).isEqualTo("[\"constrains\",\"depends\",\"license_family\"]");

    String page = new String(server.get("/channels/patched/packages/zlib").body(), StandardCharsets.UTF_8);
    assertThat(page).contains("<span class=\"tag patched-tag\"").contains("patched: constrains, depends, license_family");

    JsonNode shown = server.getJson("/api/channels/patched/patches/linux-64");
    assertThat(shown.get("instructions")).isEqualTo(JSON.readTree(DEPENDS_PATCH));
    assertThat(shown.get("changed_by").asText()).isEqualTo("admin");
    assertThat(server.getJson("/api/channels/patched/patches").get(0).get("subdir").asText()).isEqualTo("linux-64");

    assertThat(delete("patched", "linux-64").statusCode()).isEqualTo(200);
    assertThat(server.get("/conda/patched/linux-64/repodata.json").body()).isEqualTo(before);
    assertThat(etag("patched", "repodata.json")).isEqualTo(etagBefore);
    assertThat(etag("patched", "repodata.json.zst")).isEqualTo(zstEtagBefore);
    assertThat(server.getJson("/api/channels/patched/files/linux-64/" + TAR).get("patched")).isEmpty();
    assertThat(new String(server.get("/channels/patched/packages/zlib").body(), StandardCharsets.UTF_8))
        .doesNotContain("patched-tag");
    assertThat(server.get("/api/channels/patched/patches/linux-64").statusCode()).isEqualTo(404);
    assertThat(delete("patched", "linux-64").statusCode()).isEqualTo(404);

    List<String> actions = new ArrayList<>();
    server.getJson("/api/channels/patched/history").forEach(e -> actions.add(e.get("action").asText()));
    assertThat(actions).startsWith("patch_remove", "patch_set");
  }

  @Test
  void revokedRecordsCarryTheMarkAndAnUnsatisfiableDependency() throws Exception {
    assertThat(put("revoked", "linux-64", "{\"revoke\":[\"" + TAR + "\"]}").statusCode()).isEqualTo(200);
    JsonNode plain = repodata("revoked", "repodata.json");
    for (JsonNode record : List.of(plain.get("packages").get(TAR), plain.get("packages.conda").get(CONDA))) {
      assertThat(record.get("revoked").asBoolean()).isTrue();
      assertThat(record.get("depends").toString()).isEqualTo("[\"libgcc-ng >=7.3.0\",\"package_has_been_revoked\"]");
    }
  }

  @Test
  void removedRecordsLeaveRepodataAndAreListedButStayDownloadable() throws Exception {
    assertThat(put("removed", "linux-64", "{\"remove\":[\"" + TAR + "\"]}").statusCode()).isEqualTo(200);
    JsonNode plain = repodata("removed", "repodata.json");
    assertThat(plain.get("packages").has(TAR)).isFalse();
    assertThat(plain.get("packages.conda").has(CONDA)).isFalse();
    assertThat(plain.get("removed").toString()).isEqualTo("[\"" + CONDA + "\",\"" + TAR + "\"]"); // sorted
    assertThat(repodata("removed", "current_repodata.json").get("packages.conda").has(CONDA)).isFalse();
    assertThat(shard("removed", "zlib").get("removed").size()).isEqualTo(2);
    assertThat(server.get("/conda/removed/linux-64/" + TAR).statusCode()).isEqualTo(200);
    HttpResponse<byte[]> check = server.send(server.admin("/api/admin/check").POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(check.statusCode()).isEqualTo(200);
    assertThat(TestServer.json(check).get("problems")).as("published with the patches is what the rows and patches give")
        .isEmpty();
    assertThat(server.getJson("/api/channels/removed/files/linux-64/" + CONDA).get("patched").toString())
        .isEqualTo("[\"removed\"]");
    assertThat(new String(server.get("/channels/removed/packages/zlib").body(), StandardCharsets.UTF_8))
        .contains("removed by patch");
  }

  @Test
  void badInstructionsAreRefusedWithAJsonErrorAndChangeNothing() throws Exception {
    byte[] before = server.get("/conda/refused/linux-64/repodata.json").body();
    Map<String, String> cases = Map.of(
        "{\"packages\":", "invalid_json",
        "{\"patch_instructions_version\":2}", "unsupported_patch_version",
        "{\"packages\":{\"" + TAR + "\":{\"sha256\":\"00\"}}}", "invalid_patch",
        "{\"packages\":{\"" + TAR + "\":{\"name\":\"renamed\"}}}", "invalid_patch",
        "[1]", "invalid_patch");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      HttpResponse<byte[]> r = put("refused", "linux-64", c.getKey());
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(TestServer.json(r).get("error").asText()).isEqualTo(c.getValue());
    }
    HttpResponse<byte[]> unknown = put("refused", "atari-2600", "{}");
    assertThat(TestServer.json(unknown).get("error").asText()).isEqualTo("unknown_subdir");
    assertThat(server.get("/conda/refused/linux-64/repodata.json").body()).isEqualTo(before);
    assertThat(server.getJson("/api/channels/refused/patches")).isEmpty();
  }

  @Test
  void refusedToCallersWhoMayNotChangeTheChannel() {
    HttpResponse<byte[]> anonymous = server.send(server.request("/api/channels/patched/patches/noarch")
        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{}")));
    assertThat(anonymous.statusCode()).isEqualTo(401);
  }
}
