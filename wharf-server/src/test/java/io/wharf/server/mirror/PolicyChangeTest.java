package io.wharf.server.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.conda.archive.PackageWriter;
import io.wharf.server.db.Database;
import io.wharf.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replacing a policy's filters and deleting a policy, with a mirror following it. */
class PolicyChangeTest {
  @TempDir static Path upData;
  @TempDir static Path data;
  @TempDir static Path work;
  static TestServer upstream;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    upstream = TestServer.start(upData);
    upstream.createChannel("up", "public");
    for (String name : List.of("keep", "later")) {
      Path p = work.resolve(name + "-1.0-0.tar.bz2");
      PackageWriter.writeTarBz2(p, Map.of("info/index.json", ("{\"name\":\"" + name + "\",\"version\":\"1.0\","
          + "\"build\":\"0\",\"build_number\":0,\"subdir\":\"linux-64\",\"license\":\"MIT\",\"depends\":[]}")
          .getBytes(StandardCharsets.UTF_8)));
      assertThat(upstream.upload("up", p.getFileName().toString(), p, "").statusCode()).isEqualTo(201);
    }
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
  void changedFiltersAreJudgedAgainByTheNextRunOfAMirrorFollowingThePolicy() throws Exception {
    assertThat(send("POST", "/api/policies", "{\"name\":\"narrow\",\"description\":\"keep alone\","
        + "\"filters\":{\"include\":[\"keep\"]}}").statusCode()).isEqualTo(201);
    server.createChannel("m1", "public");
    assertThat(MirrorEndToEndTest.create(server, "m1", upstream.url() + "/conda/up", "m1", "active",
        List.of("linux-64")).statusCode()).isEqualTo(201);
    assertThat(send("PATCH", "/api/mirrors/m1", "{\"policy\":\"narrow\"}").statusCode()).isEqualTo(200);
    MirrorEndToEndTest.run(server, "m1");
    assertThat(published("m1")).containsExactly("keep-1.0-0.tar.bz2");
    assertThat(validatorRows("m1")).as("the run kept upstream's validators").isPositive();

    HttpResponse<byte[]> changed = send("PUT", "/api/policies/narrow",
        "{\"filters\":{\"include\":[\"keep\",\"later\"]}}");
    assertThat(changed.statusCode()).as(body(changed)).isEqualTo(200);
    JsonNode p = TestServer.json(changed);
    assertThat(p.path("filters").path("include").toString()).isEqualTo("[\"keep\",\"later\"]");
    assertThat(p.path("description").asText()).as("left out: kept").isEqualTo("keep alone");
    assertThat(validatorRows("m1")).as("forgotten, so upstream cannot answer 304").isZero();

    // upstream did not change: only a run that reads its listing again takes the newly included file
    MirrorEndToEndTest.run(server, "m1");
    assertThat(published("m1")).containsExactlyInAnyOrder("keep-1.0-0.tar.bz2", "later-1.0-0.tar.bz2");
  }

  @Test
  void aReplacementIsCheckedAsOnCreateAndARefusedOneChangesNothing() {
    assertThat(send("POST", "/api/policies", "{\"name\":\"checked\",\"filters\":{\"subdirs\":[\"noarch\"]}}")
        .statusCode()).isEqualTo(201);
    HttpResponse<byte[]> onCreate = send("POST", "/api/policies",
        "{\"name\":\"never\",\"filters\":{\"license_in\":[\"WTFPL-ish\"]}}");
    HttpResponse<byte[]> onUpdate = send("PUT", "/api/policies/checked",
        "{\"filters\":{\"license_in\":[\"WTFPL-ish\"]}}");
    assertThat(onUpdate.statusCode()).isEqualTo(400).isEqualTo(onCreate.statusCode());
    assertThat(TestServer.json(onUpdate)).isEqualTo(TestServer.json(onCreate));
    assertThat(TestServer.json(server.send(server.admin("/api/policies/checked").GET())).path("filters")
        .toString()).isEqualTo("{\"subdirs\":[\"noarch\"]}");
    HttpResponse<byte[]> renamed = send("PUT", "/api/policies/checked", "{\"name\":\"other\",\"filters\":{}}");
    assertThat(renamed.statusCode()).isEqualTo(400);
    HttpResponse<byte[]> cleared = send("PUT", "/api/policies/checked", "{\"description\":null,\"filters\":{}}");
    assertThat(cleared.statusCode()).isEqualTo(200);
    assertThat(TestServer.json(cleared).path("filters").toString()).as("replaced as a whole").isEqualTo("{}");
  }

  @Test
  void aPolicyAMirrorFollowsIsNotDeletedUntilTheMirrorIsDetached() throws Exception {
    assertThat(send("POST", "/api/policies", "{\"name\":\"used\"}").statusCode()).isEqualTo(201);
    server.createChannel("m2", "public");
    MirrorEndToEndTest.create(server, "m2", upstream.url() + "/conda/up", "m2", "active", List.of("linux-64"));
    assertThat(send("PATCH", "/api/mirrors/m2", "{\"policy\":\"used\"}").statusCode()).isEqualTo(200);

    HttpResponse<byte[]> refused = server.send(server.admin("/api/policies/used").DELETE());
    assertThat(refused.statusCode()).isEqualTo(409);
    JsonNode error = TestServer.json(refused);
    assertThat(error.path("error").asText()).isEqualTo("policy_in_use");
    assertThat(error.path("details").path("mirrors").toString()).isEqualTo("[\"m2\"]");
    assertThat(error.path("message").asText()).contains("m2");
    assertThat(server.send(server.admin("/api/policies/used").GET()).statusCode()).isEqualTo(200);

    assertThat(send("PATCH", "/api/mirrors/m2", "{\"policy\":null}").statusCode()).isEqualTo(200);
    assertThat(server.send(server.admin("/api/policies/used").DELETE()).statusCode()).isEqualTo(204);
    assertThat(server.send(server.admin("/api/policies/used").GET()).statusCode()).isEqualTo(404);
  }

  @Test
  void anUnknownPolicyIsNotFoundAndStrangersAreRefused() {
    HttpResponse<byte[]> put = send("PUT", "/api/policies/nope", "{\"filters\":{}}");
    assertThat(put.statusCode()).isEqualTo(404);
    assertThat(TestServer.json(put).path("error").asText()).isEqualTo("policy_not_found");
    HttpResponse<byte[]> delete = server.send(server.admin("/api/policies/nope").DELETE());
    assertThat(delete.statusCode()).isEqualTo(404);
    assertThat(TestServer.json(delete).path("error").asText()).isEqualTo("policy_not_found");

    assertThat(send("POST", "/api/policies", "{\"name\":\"kept\"}").statusCode()).isEqualTo(201);
    assertThat(server.send(server.request("/api/policies/kept").DELETE()).statusCode()).isEqualTo(401);
    assertThat(server.send(server.request("/api/policies/kept").header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"filters\":{}}"))).statusCode()).isEqualTo(401);
    assertThat(server.send(server.admin("/api/policies/kept").GET()).statusCode()).isEqualTo(200);
  }

  private static HttpResponse<byte[]> send(String method, String path, String json) {
    return server.send(server.admin(path).header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(json)));
  }

  private static String body(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  private static List<String> published(String channel) {
    return List.copyOf(MirrorEndToEndTest.records(server, "/conda/" + channel).keySet());
  }

  /** How many subdirs' validators (ETag, Last-Modified) the mirror keeps for its next run. */
  private static int validatorRows(String mirror) {
    try (Database db = Database.openSqlite(data.resolve("wharf.db"))) {
      return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM mirror_subdirs s JOIN mirrors m"
          + " ON m.id = s.mirror_id WHERE m.name = :m").bind("m", mirror).mapTo(Integer.class).one());
    }
  }
}
