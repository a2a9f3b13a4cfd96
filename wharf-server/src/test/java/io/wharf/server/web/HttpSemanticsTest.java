package io.wharf.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HTTP itself on every kind of route: HEAD answers as GET would (RFC 9110 §9.3.2), a method a path does
 * not take is 405 with {@code Allow} (§15.5.6), every response carries the browser security headers, and
 * JSON bodies with a key given twice are refused.
 */
class HttpSemanticsTest {
  private static final String ZLIB = "zlib-1.2.11-h7b6447c_3.conda";

  @TempDir static Path data;
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(data);
    assertThat(server.createChannel("pub", "public").statusCode()).isEqualTo(201);
    assertThat(server.upload("pub", Fixtures.realPackage(ZLIB)).statusCode()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "/api/channels", "/api/channels/pub", "/api/channels/nosuch", "/api/channels/pub/files",
      "/api/channels/pub/files/linux-64/nosuch-1-0.conda", "/api/search?q=zlib", "/api/openapi.json",
      "/", "/channels/pub", "/channels/nosuch", "/channels/pub/packages/zlib", "/search?q=zlib", "/licenses",
      "/static/wharf.css", "/static/nosuch.css", "/swagger/ui", "/health/live", "/health/ready",
      "/conda/pub/linux-64/repodata.json", "/conda/nosuch/linux-64/repodata.json", "/nothing/here"})
  void headAnswersWithTheStatusAndHeadersOfGet(String path) {
    HttpResponse<byte[]> get = server.get(path);
    HttpResponse<byte[]> head = server.send(server.request(path).method("HEAD", HttpRequest.BodyPublishers.noBody()));

    assertThat(head.statusCode()).isEqualTo(get.statusCode());
    assertThat(head.body()).isEmpty();
    for (String header : List.of("content-type", "content-length", "cache-control", "etag")) {
      assertThat(head.headers().firstValue(header)).as(header).isEqualTo(get.headers().firstValue(header));
    }
  }

  @Test
  void headOfAMissingChannelIsNotFoundLikeGet() {
    HttpResponse<byte[]> head = server.send(server.admin("/api/channels/nosuch")
        .method("HEAD", HttpRequest.BodyPublishers.noBody()));
    assertThat(head.statusCode()).isEqualTo(404);
    assertThat(head.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t)
        .startsWith("application/json"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', value = {
      "PROPFIND | /api/channels                       | GET, HEAD, POST",
      "PUT      | /api/channels/pub                   | DELETE, GET, HEAD, PATCH",
      "POST     | /api/channels/pub                   | DELETE, GET, HEAD, PATCH",
      "PUT      | /api/channels/pub/files             | GET, HEAD",
      "GET      | /api/channels/pub/files/x-1-0.conda | PUT",
      "POST     | /channels/pub                       | GET, HEAD",
      "DELETE   | /                                   | GET, HEAD",
      "PUT      | /conda/pub/linux-64/repodata.json   | GET, HEAD",
      "OPTIONS  | /health/ready                       | GET, HEAD",
  })
  void aMethodThePathDoesNotTakeIs405WithAllow(String method, String path, String allow) {
    HttpResponse<byte[]> res = server.send(server.request(path).method(method, HttpRequest.BodyPublishers.noBody()));

    assertThat(res.statusCode()).isEqualTo(405);
    assertThat(allowed(res)).containsExactlyInAnyOrder(allow.split(", "));
    JsonNode body = TestServer.json(res);
    assertThat(body.get("error").asText()).isEqualTo("method_not_allowed");
    assertThat(body.get("message").asText()).isEqualTo(method + " is not allowed on " + path + "; use " + allow);
  }

  @Test
  void anUnknownMethodOnAPathThatDoesNotExistIsStillNotFound() {
    HttpResponse<byte[]> res = server.send(server.request("/nothing/here")
        .method("PROPFIND", HttpRequest.BodyPublishers.noBody()));
    assertThat(res.statusCode()).isEqualTo(404);
    assertThat(TestServer.json(res).get("error").asText()).isEqualTo("not_found");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "/", "/channels/pub", "/channels/nosuch", "/api/channels", "/api/channels/nosuch", "/swagger/ui",
      "/static/wharf.js", "/conda/pub/linux-64/repodata.json", "/conda/pub/linux-64/" + ZLIB,
      "/conda/pub/nosuch/x", "/health/ready", "/conda/%00/x", "/conda/pub/..%2f..%2fx"})
  void everyResponseCarriesTheSecurityHeaders(String path) {
    HttpResponse<byte[]> res = server.send(server.request(path).header("Accept", "text/html").GET());

    assertThat(res.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(res.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(res.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    String csp = res.headers().firstValue("Content-Security-Policy").orElse("");
    assertThat(csp).contains("default-src 'none'", "script-src 'self'", "frame-ancestors 'none'", "base-uri 'none'")
        .doesNotContain("unsafe-inline", "unsafe-eval");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/", "/channels/pub", "/channels/pub/packages/zlib", "/search?q=z", "/licenses",
      "/swagger/ui", "/channels/nosuch"})
  void htmlIsDeclaredAsUtf8(String path) {
    HttpResponse<byte[]> res = server.send(server.request(path).header("Accept", "text/html").GET());
    assertThat(res.headers().firstValue("Content-Type").map(t -> t.toLowerCase(Locale.ROOT).replace(" ", "")))
        .hasValue("text/html;charset=utf-8");
  }

  @Test
  void theSwaggerUiIsStartedByAScriptFileNotAnInlineScript() {
    String page = new String(server.get("/swagger/ui").body());
    assertThat(page).contains("<script src=\"/swagger/ui/wharf-swagger-init.js\"></script>")
        .doesNotContainPattern("<script>|<script [^>]*>[^<]");
    HttpResponse<byte[]> init = server.get("/swagger/ui/wharf-swagger-init.js");
    assertThat(init.statusCode()).isEqualTo(200);
    assertThat(new String(init.body())).contains("SwaggerUIBundle(", "/api/openapi.json");
  }

  @Test
  void aJsonBodyWithAKeyGivenTwiceIsRefusedNamingTheKey() {
    HttpResponse<byte[]> res = server.send(server.admin("/api/channels").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"first\",\"privacy\":\"private\",\"name\":\"second\"}")));

    assertThat(res.statusCode()).isEqualTo(400);
    JsonNode body = TestServer.json(res);
    assertThat(body.get("error").asText()).isEqualTo("duplicate_key");
    assertThat(body.get("message").asText()).isEqualTo("the request body gives 'name' more than once");
    assertThat(body.get("details").get("key").asText()).isEqualTo("name");
    assertThat(server.send(server.admin("/api/channels/second").GET()).statusCode()).isEqualTo(404);
    assertThat(server.send(server.admin("/api/channels/first").GET()).statusCode()).isEqualTo(404);
  }

  @Test
  void aKeyRepeatedInANestedObjectIsRefusedToo() {
    HttpResponse<byte[]> res = server.send(server.admin("/api/channels").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"nested\",\"x\":{\"a\":1,\"a\":2}}")));
    assertThat(res.statusCode()).isEqualTo(400);
    assertThat(TestServer.json(res).get("details").get("key").asText()).isEqualTo("a");
  }

  private static List<String> allowed(HttpResponse<byte[]> res) {
    Optional<String> allow = res.headers().firstValue("Allow");
    assertThat(allow).as("Allow header").isPresent();
    return Arrays.stream(allow.get().split(",")).map(String::trim).toList();
  }
}
