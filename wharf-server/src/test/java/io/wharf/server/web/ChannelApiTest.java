package io.wharf.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Channels through the REST API: the lifecycle, and every malformed request answered in JSON. */
class ChannelApiTest {
  @TempDir static Path data;
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(data);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<byte[]> post(String body) {
    return server.send(server.admin("/api/channels").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  @Test
  void createdChannelsAreListedShownAndDeleted() {
    HttpResponse<byte[]> created = post("{\"name\":\"api-life\",\"description\":\"made here\",\"privacy\":\"private\"}");
    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode c = TestServer.json(created);
    assertThat(c.get("name").asText()).isEqualTo("api-life");
    assertThat(c.get("privacy").asText()).isEqualTo("private");
    assertThat(c.get("conda_url").asText()).isEqualTo("/conda/api-life");

    assertThat(server.send(server.admin("/api/channels").GET()).body()).asString().contains("\"api-life\"");
    assertThat(server.get("/api/channels").body()).asString().as("private: not listed for anonymous")
        .doesNotContain("api-life");
    JsonNode shown = TestServer.json(server.send(server.admin("/api/channels/api-life").GET()));
    assertThat(shown.get("description").asText()).isEqualTo("made here");
    assertThat(shown.get("labels")).isEmpty();
    assertThat(server.get("/api/channels/api-life").statusCode()).as("private: a token may help").isEqualTo(401);

    assertThat(post("{\"name\":\"api-life\"}").statusCode()).as("exists").isEqualTo(409);
    assertThat(TestServer.json(post("{\"name\":\"API-LIFE\"}")).get("error").asText()).as("lowercase only")
        .isEqualTo("invalid_channel_name");
    assertThat(server.send(server.admin("/api/channels/api-life").DELETE()).statusCode()).isEqualTo(204);
    assertThat(server.send(server.admin("/api/channels/api-life").GET()).statusCode()).isEqualTo(404);
    assertThat(server.send(server.admin("/api/channels/api-life").DELETE()).statusCode()).isEqualTo(404);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "''                                      | invalid_json",
      "null                                    | invalid_json",
      "[]                                      | invalid_json",
      "'\"text\"'                              | invalid_json",
      "{                                       | invalid_json",
      "{\"name\":5}                            | invalid_field",
      "{\"name\":[\"x\"]}                      | invalid_field",
      "{\"name\":\"ok\",\"privacy\":\"weird\"} | invalid_privacy",
      "{\"name\":\"ok\",\"privacy\":5}         | invalid_field",
      "{\"name\":\"ok\",\"description\":{}}    | invalid_field",
      "{\"name\":\"api\"}                      | reserved_channel_name",
      "{\"name\":\"linux-64\"}                 | reserved_channel_name",
      "{\"name\":\"bad name\"}                 | invalid_channel_name",
      "{\"name\":\"../up\"}                    | invalid_channel_name",
  })
  void malformedCreationsAreRefusedWithANamedProblem(String body, String code) {
    HttpResponse<byte[]> res = post(body);
    assertThat(res.statusCode()).as(new String(res.body())).isEqualTo(400);
    assertThat(res.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
    JsonNode error = TestServer.json(res);
    assertThat(error.get("error").asText()).isEqualTo(code);
    assertThat(error.get("message").asText()).isNotBlank().doesNotContain("Source", "REDACTED");
  }

  @Test
  void invalidJsonSaysWhereItStopped() {
    assertThat(TestServer.json(post("{\"name\": }")).get("message").asText())
        .startsWith("the request body is not valid JSON: ").contains("(line 1, column");
  }

  @Test
  void bodiesOverTheLimitAre413InJson() {
    String big = "{\"name\":\"big\",\"description\":\"" + "a".repeat((int) WebServer.MAX_JSON_BODY) + "\"}";
    HttpResponse<byte[]> res = post(big);
    assertThat(res.statusCode()).isEqualTo(413);
    assertThat(TestServer.json(res).get("error").asText()).isEqualTo("body_too_large");
    assertThat(server.send(server.admin("/api/channels/big").GET()).statusCode()).isEqualTo(404);
  }

  @Test
  void creatingWithoutTheAdminTokenIs401() {
    HttpResponse<byte[]> res = server.send(server.request("/api/channels").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"nope\"}")));
    assertThat(res.statusCode()).isEqualTo(401);
    assertThat(TestServer.json(res).get("error").asText()).isNotBlank();
  }
}
