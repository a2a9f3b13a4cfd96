package io.wharf.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.SmallPackages;
import io.wharf.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every change to a channel leaves an entry in its history: who, from where, when, what. */
class ChannelHistoryTest {
  private static final Path ZLIB = Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.conda");
  private static final Path XTENSOR = Fixtures.realPackage("xtensor-io-0.10.3-hb585cf6_0.tar.bz2");
  private static final String CLIENT = "198.51.100.7";

  @TempDir static Path data;
  @TempDir Path work;
  static TestServer server;

  @BeforeAll
  static void start() {
    // the test client connects from 127.0.0.1, a trusted proxy here, so X-Forwarded-For is believed
    server = TestServer.start(data, Map.of("trusted.proxies", "127.0.0.1"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpRequest.Builder fromClient(String path) {
    return server.admin(path).header("X-Forwarded-For", "203.0.113.250, " + CLIENT)
        .header("Content-Type", "application/json");
  }

  static HttpResponse<byte[]> post(String path, String json) {
    return server.send(fromClient(path).POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  /** Every entry of the channel's history, following the Link header a page of {@code limit} at a time. */
  static List<JsonNode> history(String channel, int limit, boolean admin) {
    List<JsonNode> out = new ArrayList<>();
    String path = "/api/channels/" + channel + "/history?limit=" + limit;
    int pages = 0;
    while (path != null) {
      HttpResponse<byte[]> res = server.send(admin ? server.admin(path).GET() : server.request(path).GET());
      assertThat(res.statusCode()).isEqualTo(200);
      JsonNode page = TestServer.json(res);
      assertThat(page.size()).isLessThanOrEqualTo(limit);
      page.forEach(out::add);
      pages++;
      path = res.headers().firstValue("Link").map(l -> l.substring(1, l.indexOf('>'))).orElse(null);
    }
    assertThat(pages).isGreaterThanOrEqualTo(out.size() / limit);
    return out;
  }

  @Test
  void uploadsDeletesCopiesMovesAndRemovesAreRecordedWithActorAddressTimeAndDetails() throws Exception {
    Instant before = Instant.now().minusSeconds(1);
    assertThat(post("/api/channels", "{\"name\":\"hist-a\"}").statusCode()).isEqualTo(201);
    assertThat(post("/api/channels", "{\"name\":\"hist-b\"}").statusCode()).isEqualTo(201);
    assertThat(server.send(fromClient("/api/channels/hist-a/files/" + ZLIB.getFileName())
        .PUT(HttpRequest.BodyPublishers.ofFile(ZLIB))).statusCode()).isEqualTo(201);
    assertThat(server.send(fromClient("/api/channels/hist-a/files/" + ZLIB.getFileName() + "?replace=true")
        .PUT(HttpRequest.BodyPublishers.ofFile(ZLIB))).statusCode()).isEqualTo(201);
    assertThat(server.upload("hist-a", XTENSOR).statusCode()).isEqualTo(201);
    assertThat(post("/api/channels/hist-a/copy", "{\"to\":\"hist-b\",\"items\":[\"zlib\"]}").statusCode())
        .isEqualTo(200);
    assertThat(post("/api/channels/hist-a/copy", "{\"to\":\"hist-b\",\"items\":[\"zlib\"]}").statusCode())
        .as("a refused request records nothing").isEqualTo(409);
    assertThat(post("/api/channels/hist-a/move", "{\"to\":\"hist-b/label/staging\",\"items\":[\"xtensor-io\"]}")
        .statusCode()).isEqualTo(200);
    assertThat(post("/api/channels/hist-b/remove", "{\"items\":[\"zlib=1.2.11\"]}").statusCode()).isEqualTo(200);
    assertThat(server.send(fromClient("/api/channels/hist-a/files/linux-64/" + ZLIB.getFileName()).DELETE())
        .statusCode()).isEqualTo(204);
    Instant after = Instant.now().plusSeconds(1);

    List<JsonNode> a = history("hist-a", 2, true);
    assertThat(a).extracting(e -> e.get("action").asText())
        .containsExactly("delete", "move", "copy", "upload", "replace", "upload", "channel_create");
    assertThat(a).allSatisfy(e -> {
      assertThat(e.get("channel").asText()).isEqualTo("hist-a");
      assertThat(e.get("actor").asText()).isEqualTo("admin");
      assertThat(Instant.parse(e.get("at").asText())).isBetween(before, after);
    });
    assertThat(a).extracting(e -> e.get("address").asText())
        .as("the client behind the trusted proxy; an upload sent directly comes from the proxy itself")
        .containsExactly(CLIENT, CLIENT, CLIENT, "127.0.0.1", CLIENT, CLIENT, CLIENT);
    JsonNode replaced = a.get(4).get("details");
    assertThat(replaced.get("subdir").asText()).isEqualTo("linux-64");
    assertThat(replaced.get("filename").asText()).isEqualTo(ZLIB.getFileName().toString());
    assertThat(replaced.get("sha256").asText()).hasSize(64);
    JsonNode moved = a.get(1).get("details");
    assertThat(moved.get("from").asText()).isEqualTo("hist-a");
    assertThat(moved.get("to").asText()).isEqualTo("hist-b/label/staging");
    assertThat(moved.get("files").get(0).get("filename").asText()).isEqualTo(XTENSOR.getFileName().toString());
    assertThat(moved.get("files").get(0).get("result").asText()).isEqualTo("moved");

    List<JsonNode> b = history("hist-b", 100, true);
    assertThat(b).extracting(e -> e.get("action").asText())
        .containsExactly("remove", "move", "copy", "channel_create");
    assertThat(b.get(0).get("details").get("files").get(0).get("result").asText()).isEqualTo("removed");
    assertThat(b.get(2).get("details")).as("both channels of a copy record the same details")
        .isEqualTo(a.get(2).get("details"));

    assertThat(history("hist-a", 100, false)).as("anonymous readers do not see client addresses")
        .allSatisfy(e -> assertThat(e.has("address")).isFalse()).hasSize(7);
  }

  @Test
  void aDeletedChannelRecordsItsDeletionAndANewChannelOfTheSameNameStartsAfresh() {
    assertThat(post("/api/channels", "{\"name\":\"hist-gone\"}").statusCode()).isEqualTo(201);
    assertThat(server.upload("hist-gone", ZLIB).statusCode()).isEqualTo(201);
    assertThat(server.send(fromClient("/api/channels/hist-gone").DELETE()).statusCode()).isEqualTo(204);
    assertThat(server.send(server.admin("/api/channels/hist-gone/history").GET()).statusCode()).isEqualTo(404);

    assertThat(post("/api/channels", "{\"name\":\"hist-gone\"}").statusCode()).isEqualTo(201);
    assertThat(history("hist-gone", 100, true)).extracting(e -> e.get("action").asText())
        .containsExactly("channel_create");
  }

  @Test
  void aPrivacyChangeIsRecordedAndTakesEffect() {
    assertThat(post("/api/channels", "{\"name\":\"hist-priv\"}").statusCode()).isEqualTo(201);
    assertThat(server.get("/api/channels/hist-priv").statusCode()).isEqualTo(200);

    HttpResponse<byte[]> changed = server.send(fromClient("/api/channels/hist-priv")
        .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"privacy\":\"private\"}")));

    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(TestServer.json(changed).get("privacy").asText()).isEqualTo("private");
    assertThat(server.get("/api/channels/hist-priv").statusCode()).as("hidden from anonymous readers now")
        .isEqualTo(401);
    JsonNode latest = history("hist-priv", 100, true).get(0);
    assertThat(latest.get("action").asText()).isEqualTo("channel_privacy");
    assertThat(latest.get("address").asText()).isEqualTo(CLIENT);
    assertThat(latest.get("details").get("from").asText()).isEqualTo("public");
    assertThat(latest.get("details").get("to").asText()).isEqualTo("private");

    HttpResponse<byte[]> bad = server.send(fromClient("/api/channels/hist-priv")
        .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"privacy\":\"secret\"}")));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(TestServer.json(bad).get("error").asText()).isEqualTo("invalid_privacy");
    assertThat(history("hist-priv", 100, true)).hasSize(2);
  }

  @Test
  void membersAndScopedTokensAreRecordedAsTheyChange() {
    assertThat(post("/api/channels", "{\"name\":\"hist-team\",\"privacy\":\"private\"}").statusCode())
        .isEqualTo(201);
    io.wharf.server.testing.Personas people = new io.wharf.server.testing.Personas(server);
    people.user("hist-erin", "a long enough password", false);
    people.member("hist-team", "hist-erin", "viewer");
    people.member("hist-team", "hist-erin", "owner");
    io.wharf.server.testing.Personas.Session erin = people.signIn("hist-erin", "a long enough password");
    JsonNode token = people.token(erin, "ci", "[\"hist-team/dev\"]", "read");
    assertThat(server.send(erin.apply(server.request("/api/tokens/" + token.get("id").asLong())).DELETE())
        .statusCode()).isEqualTo(204);
    assertThat(server.send(server.admin("/api/channels/hist-team/members/hist-erin").DELETE()).statusCode())
        .isEqualTo(204);

    List<JsonNode> entries = history("hist-team", 100, true);
    assertThat(entries).extracting(e -> e.get("action").asText()).containsExactly("member_remove",
        "token_revoke", "token_create", "member_set", "member_set", "channel_create");
    assertThat(entries.get(2).get("actor").asText()).isEqualTo("hist-erin");
    assertThat(entries.get(2).get("details").get("name").asText()).isEqualTo("ci");
    assertThat(entries.get(2).get("details").get("labels").get(0).asText()).isEqualTo("dev");
    assertThat(entries.get(2).get("details").toString()).doesNotContain(token.get("secret").asText());
    assertThat(entries.get(3).get("details").get("role").asText()).isEqualTo("owner");
    assertThat(entries.get(3).get("details").get("from").asText()).isEqualTo("viewer");
    assertThat(entries.get(0).get("details").get("user").asText()).isEqualTo("hist-erin");
  }

  @Test
  void withoutTrustedProxiesTheForwardedHeaderIsIgnored() {
    try (TestServer direct = TestServer.start(data.resolve("direct"))) {
      HttpResponse<byte[]> created = direct.send(direct.admin("/api/channels")
          .header("X-Forwarded-For", CLIENT).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"hist-direct\"}")));
      assertThat(created.statusCode()).isEqualTo(201);
      JsonNode entries = TestServer.json(direct.send(direct.admin("/api/channels/hist-direct/history").GET()));
      assertThat(entries.get(0).get("address").asText()).isEqualTo("127.0.0.1");
    }
  }

  @Test
  void theHistoryPageListsEntriesEscapedAndPagesToOlderOnes() {
    assertThat(post("/api/channels", "{\"name\":\"hist-page\",\"description\":\"<b>bold</b>\"}").statusCode())
        .isEqualTo(201);
    SmallPackages.upload(server, work, "hist-page", "pkg", HistoryRoutes.PAGE_SIZE, "");

    HttpResponse<byte[]> channel = server.send(server.request("/channels/hist-page").header("Accept", "text/html").GET());
    assertThat(new String(channel.body(), StandardCharsets.UTF_8)).contains("href=\"/channels/hist-page/history\"");

    HttpResponse<byte[]> first = server.send(server.admin("/channels/hist-page/history").header("Accept", "text/html")
        .GET());
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
        csp -> assertThat(csp).contains("script-src 'self'").doesNotContain("unsafe-inline"));
    String html = new String(first.body(), StandardCharsets.UTF_8);
    assertThat(html).doesNotContain("<script>");
    assertThat(rows(html)).hasSize(HistoryRoutes.PAGE_SIZE);
    assertThat(html).contains("noarch/pkg-049-1.0-0.tar.bz2", ">admin<", ">127.0.0.1<");
    Matcher older = Pattern.compile("<a rel=\"next\" href=\"([^\"]+)\">").matcher(html);
    assertThat(older.find()).as("a link to older entries").isTrue();

    String second = new String(server.send(server.request(older.group(1).replace("&amp;", "&"))
        .header("Accept", "text/html").GET()).body(), StandardCharsets.UTF_8);
    assertThat(rows(second)).hasSize(1);
    assertThat(second).contains("channel_create", "&lt;b&gt;bold&lt;/b&gt;").doesNotContain("<b>bold</b>")
        .as("no addresses for anonymous readers").doesNotContain(">127.0.0.1<");
  }

  private static List<String> rows(String html) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("<td data-label=\"Action\"").matcher(html);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }
}
