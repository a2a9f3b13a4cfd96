package io.wharf.server.badge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.conda.archive.PackageWriter;
import io.wharf.server.testing.Personas;
import io.wharf.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** The badge URLs on a running server: what each badge says, who may see it, and how it is cached. */
class BadgeRoutesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path data;
  @TempDir static Path work;
  static TestServer server;
  static String readToken;
  static String writeToken;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(data);
    server.createChannel("tools", "public");
    server.createChannel("secret", "private");
    server.createChannel("members", "authenticated");
    // 1.10 is newer than 1.9 by VersionOrder although older as text and uploaded first.
    upload("tools", "widget", "1.10", "linux-64", "BSD-3-Clause", "");
    upload("tools", "widget", "1.9", "osx-arm64", "MIT", "");
    upload("tools", "widget", "1.9", "noarch", "MIT", "");
    upload("tools", "widget", "2.0rc1", "linux-64", "Apache-2.0", "label=dev");
    upload("tools", "odd", "0.1", "linux-64", "A & B <with> \"quotes\"", "");
    upload("secret", "hush", "3.1", "linux-64", "Proprietary", "");
    upload("members", "club", "1.0", "win-64", "MIT", "");
    Personas people = new Personas(server);
    people.user("owner", "a long owner password", false);
    people.member("secret", "owner", "owner");
    Personas.Session owner = people.signIn("owner", "a long owner password");
    readToken = people.token(owner, "badges", "[\"secret\"]", "read").get("secret").asText();
    writeToken = people.token(owner, "ci", "[\"secret\"]", "write").get("secret").asText();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static void upload(String channel, String name, String version, String subdir, String license, String query)
      throws Exception {
    ObjectNode index = JSON.createObjectNode().put("name", name).put("version", version).put("build", "0")
        .put("build_number", 0).put("license", license).put("subdir", subdir);
    index.putArray("depends");
    if (subdir.equals("noarch")) {
      index.put("noarch", "generic");
    }
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("info/index.json", JSON.writeValueAsBytes(index));
    Path dir = Files.createDirectories(work.resolve(channel).resolve(subdir));
    Path p = dir.resolve(name + "-" + version + "-0.tar.bz2");
    PackageWriter.writeTarBz2(p, files);
    HttpResponse<byte[]> r = server.upload(channel, p.getFileName().toString(), p, query);
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(201);
  }

  static HttpResponse<byte[]> get(String path) {
    return server.get(path);
  }

  static List<String> texts(HttpResponse<byte[]> r) throws Exception {
    return BadgeSvgTest.texts(svg(r));
  }

  static Document svg(HttpResponse<byte[]> r) throws Exception {
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("image/svg+xml"));
    return BadgeSvgTest.parse(new String(r.body(), StandardCharsets.UTF_8));
  }

  @Test
  void theVersionBadgeShowsTheLatestVersionByCondaVersionOrderOfTheMainLabel() throws Exception {
    HttpResponse<byte[]> r = get("/badges/tools/widget/version.svg");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(texts(r)).containsExactly("tools", "1.10");
  }

  @Test
  void aSubchannelHasItsOwnBadgesUnderLabelAsInCondaUrls() throws Exception {
    assertThat(texts(get("/badges/tools/label/dev/widget/version.svg"))).containsExactly("tools/dev", "2.0rc1");
    assertThat(texts(get("/badges/tools/label/dev/widget/license.svg"))).containsExactly("license", "Apache-2.0");
    assertThat(get("/badges/tools/label/nosuch/widget/version.svg").statusCode()).isEqualTo(404);
  }

  @Test
  void licensePlatformsAndDatesSayWhatTheFilesSay() throws Exception {
    assertThat(texts(get("/badges/tools/widget/license.svg"))).containsExactly("license", "BSD-3-Clause");
    assertThat(texts(get("/badges/tools/widget/platforms.svg")))
        .containsExactly("platforms", "linux-64 | noarch | osx-arm64");
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    List<String> date = texts(get("/badges/tools/widget/latest_release_date.svg"));
    assertThat(date.get(0)).isEqualTo("last updated");
    // Just after midnight the upload may be of the day before.
    assertThat(date.get(1)).isIn(today, LocalDate.now(ZoneOffset.UTC).minusDays(1).toString());
    assertThat(texts(get("/badges/tools/widget/latest_release_relative_date.svg")).get(1))
        .matches("just now|\\d+ minutes? ago");
  }

  @Test
  void metadataTextIsEscapedIntoValidXml() throws Exception {
    HttpResponse<byte[]> r = get("/badges/tools/odd/license.svg");
    assertThat(texts(r)).containsExactly("license", "A & B <with> \"quotes\"");
    assertThat(svg(r).getDocumentElement().getAttribute("aria-label")).isEqualTo("license: A & B <with> \"quotes\"");
  }

  @Test
  void aPrivatePackageWithoutAFittingTokenAnswersExactlyLikeAMissingPackage() throws Exception {
    HttpResponse<byte[]> missing = get("/badges/nosuch/hush/version.svg");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(texts(missing)).containsExactly("version", "not found");
    for (String path : List.of("/badges/secret/hush/version.svg", "/badges/secret/hush/version.svg?token=",
        "/badges/secret/hush/version.svg?token=wrong-token", "/badges/secret/hush/version.svg?token=" + writeToken,
        "/badges/members/club/version.svg", "/badges/secret/nosuch/version.svg?token=" + readToken,
        "/badges/tools/nosuch/version.svg")) {
      HttpResponse<byte[]> r = get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(missing.statusCode());
      assertThat(r.body()).as(path).isEqualTo(missing.body());
      assertThat(headers(r)).as(path).isEqualTo(headers(missing));
    }
    // A bad token in a header is no different.
    HttpResponse<byte[]> header = server.send(server.request("/badges/secret/hush/version.svg")
        .header("Authorization", "Bearer nonsense"));
    assertThat(header.body()).isEqualTo(missing.body());
    assertThat(header.statusCode()).isEqualTo(404);
  }

  @Test
  void aReadTokenInTheQueryShowsThePrivateBadgeWhichSharedCachesMustNotKeep() throws Exception {
    HttpResponse<byte[]> r = get("/badges/secret/hush/version.svg?token=" + readToken);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(texts(r)).containsExactly("secret", "3.1");
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("private, max-age=300");
    // An authenticated channel takes any valid read token.
    assertThat(texts(get("/badges/members/club/platforms.svg?token=" + readToken)))
        .containsExactly("platforms", "win-64");
  }

  @Test
  void aPublicBadgeIsCachedFiveMinutesAndRevalidatedByItsEtag() {
    HttpResponse<byte[]> r = get("/badges/tools/widget/version.svg");
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("public, max-age=300");
    String etag = r.headers().firstValue("ETag").orElseThrow();
    assertThat(etag).matches("\"[0-9a-f]{32}\"");
    HttpResponse<byte[]> again = server.send(server.request("/badges/tools/widget/version.svg")
        .header("If-None-Match", etag));
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    assertThat(again.headers().firstValue("ETag")).hasValue(etag);
    assertThat(again.headers().firstValue("Cache-Control")).hasValue("public, max-age=300");
    HttpResponse<byte[]> other = server.send(server.request("/badges/tools/widget/license.svg")
        .header("If-None-Match", etag));
    assertThat(other.statusCode()).isEqualTo(200);
    // A date alone never validates: the relative badge changes with time.
    HttpResponse<byte[]> since = server.send(server.request("/badges/tools/widget/version.svg")
        .header("If-Modified-Since", "Fri, 01 Jan 2100 00:00:00 GMT"));
    assertThat(since.statusCode()).isEqualTo(200);
  }

  @Test
  void nothingInTheHeadersStopsAnotherSiteFromEmbeddingTheBadgeAsAnImage() {
    HttpResponse<byte[]> r = get("/badges/tools/widget/version.svg");
    assertThat(r.headers().firstValue("Cross-Origin-Resource-Policy")).hasValue("cross-origin");
    assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(r.headers().firstValue("Content-Type")).hasValue("image/svg+xml; charset=utf-8");
    assertThat(r.headers().firstValue("Cross-Origin-Embedder-Policy")).isEmpty();
    // The policy still keeps the SVG inert when it is opened as a document.
    assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'self'");
  }

  @Test
  void anUnknownBadgeNameIsNotFoundAndANeverDownloadedPackageShowsZeroDownloads() {
    HttpResponse<byte[]> r = get("/badges/tools/widget/stars.svg");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("badge_not_found");
    HttpResponse<byte[]> downloads = get("/badges/tools/widget/downloads.svg");
    assertThat(downloads.statusCode()).isEqualTo(200);
    assertThat(new String(downloads.body(), StandardCharsets.UTF_8)).contains("<title>downloads: 0</title>");
  }

  @Test
  void headAnswersLikeGetWithoutABody() {
    HttpResponse<byte[]> r = server.send(server.request("/badges/tools/widget/version.svg")
        .method("HEAD", HttpRequest.BodyPublishers.noBody()));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("ETag")).isPresent();
  }

  private static Map<String, List<String>> headers(HttpResponse<byte[]> r) {
    Map<String, List<String>> h = new LinkedHashMap<>(r.headers().map());
    h.remove("date");
    return h;
  }
}
