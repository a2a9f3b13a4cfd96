package io.wharf.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Anonymous reads of a public channel are answered ahead of Javalin's routing; the same request with a
 * token goes through {@link CondaRoutes}. Both must give the same answer, header for header.
 */
class CondaFastPathTest {
  private static final String SCRAPE_TOKEN = "scrape-token-0123456789abcdef";
  private static final String ZLIB = "zlib-1.2.11-h7b6447c_3.conda";
  @TempDir static Path data;
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(data, Map.of("metrics.token", SCRAPE_TOKEN));
    assertThat(server.createChannel("open", "public").statusCode()).isEqualTo(201);
    assertThat(server.upload("open", Fixtures.realPackage(ZLIB)).statusCode()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void metadataAnswersAsTheRoutedPathDoes() {
    for (String file : List.of("linux-64/repodata.json", "linux-64/repodata.json.zst", "linux-64/current_repodata.json",
        "channeldata.json")) {
      String url = "/conda/open/" + file;
      sameAnswer(server.request(url).GET());
      sameAnswer(server.request(url).header("Accept-Encoding", "gzip").GET());
      sameAnswer(server.request(url).method("HEAD", HttpRequest.BodyPublishers.noBody()));
      String etag = server.get(url).headers().firstValue("ETag").orElseThrow();
      assertThat(sameAnswer(server.request(url).header("If-None-Match", etag).GET()).statusCode()).isEqualTo(304);
      sameAnswer(server.request(url).header("If-None-Match", "W/" + etag + ", \"x\"").GET());
      sameAnswer(server.request(url).header("If-Modified-Since", "Tue, 1 Dec 2099 00:00:00 GMT").GET());
    }
  }

  @Test
  void packageFilesAnswerAsTheRoutedPathDoes() {
    String url = "/conda/open/linux-64/" + ZLIB;
    assertThat(sameAnswer(server.request(url).GET()).statusCode()).isEqualTo(200);
    sameAnswer(server.request(url).method("HEAD", HttpRequest.BodyPublishers.noBody()));
    for (String range : List.of("bytes=10-19", "bytes=-100", "bytes=100-", "bytes=0-9999999999999999999",
        "bytes=99999999-", "bytes=5-1", "bytes=0-1,5-9", "items=0-1")) {
      sameAnswer(server.request(url).header("Range", range).GET());
    }
    String etag = server.get(url).headers().firstValue("ETag").orElseThrow();
    sameAnswer(server.request(url).header("Range", "bytes=0-9").header("If-Range", etag).GET());
    sameAnswer(server.request(url).header("Range", "bytes=0-9").header("If-Range", "\"other\"").GET());
    assertThat(sameAnswer(server.request(url).header("If-None-Match", etag).GET()).statusCode()).isEqualTo(304);
    sameAnswer(server.request(url).header("If-Modified-Since", "Tue, 1 Dec 2099 00:00:00 GMT").GET());
    sameAnswer(server.request(url).header("Range", "bytes=0-9").method("HEAD", HttpRequest.BodyPublishers.noBody()));
    sameAnswer(server.request(url).header("Range", "bytes=99999999-")
        .method("HEAD", HttpRequest.BodyPublishers.noBody()));
  }

  @Test
  void notModifiedCarriesTheValidatorsOfA200AndNoContentType() {
    String url = "/conda/open/linux-64/repodata.json";
    HttpResponse<byte[]> ok = server.send(server.request(url).header("Accept-Encoding", "gzip").GET());
    String etag = ok.headers().firstValue("ETag").orElseThrow();
    HttpResponse<byte[]> notModified =
        sameAnswer(server.request(url).header("Accept-Encoding", "gzip").header("If-None-Match", etag).GET());
    assertThat(notModified.statusCode()).isEqualTo(304);
    for (String field : List.of("ETag", "Cache-Control", "Vary", "Last-Modified")) {
      assertThat(notModified.headers().allValues(field)).as(field).isNotEmpty()
          .isEqualTo(ok.headers().allValues(field));
    }
    assertThat(notModified.headers().firstValue("Date")).isPresent();
    assertThat(notModified.headers().firstValue("Content-Type")).isEmpty();
    assertThat(notModified.body()).isEmpty();
  }

  @Test
  void anUnsatisfiableRangeNamesTheSizeAndNoContentType() {
    String url = "/conda/open/linux-64/" + ZLIB;
    long size = Fixtures.realPackage(ZLIB).toFile().length();
    HttpResponse<byte[]> res = sameAnswer(server.request(url).header("Range", "bytes=99999999-").GET());
    assertThat(res.statusCode()).isEqualTo(416);
    assertThat(res.headers().firstValue("Content-Range")).contains("bytes */" + size);
    assertThat(res.headers().firstValue("Content-Type")).isEmpty();
    assertThat(res.headers().firstValue("Content-Length")).contains("0");
  }

  @Test
  void whatTheFastPathDoesNotKnowIsLeftToTheRoutes() {
    for (String url : List.of("/conda/open/linux-64/nothing-1.0-0.conda", "/conda/open/linux-64",
        "/conda/open/not-a-platform/repodata.json", "/conda/open/label/nolabel/linux-64/repodata.json")) {
      HttpResponse<byte[]> res = server.get(url);
      assertThat(res.statusCode()).as(url).isEqualTo(404);
      assertThat(new String(res.body())).as(url).contains("\"error\"");
    }
    assertThat(server.get("/conda/open/linux-64/%2e%2e/repodata.json").statusCode()).isEqualTo(400);
    assertThat(server.get("/conda/nosuchchannel/linux-64/repodata.json").statusCode()).isEqualTo(401);
  }

  @Test
  void fastAnswersAreCountedUnderTheRouteTemplate() {
    String url = "/conda/open/noarch/repodata.json";
    for (int i = 0; i < 3; i++) {
      assertThat(server.get(url).statusCode()).isEqualTo(200);
    }
    String scrape = new String(server.send(server.request("/metrics")
        .header("Authorization", "Bearer " + SCRAPE_TOKEN).GET()).body());
    Matcher count = Pattern.compile("wharf_http_requests_seconds_count\\{method=\"GET\","
        + "route=\"/conda/<path>\",status=\"200\"} (\\d+)").matcher(scrape);
    assertThat(count.find()).as(scrape).isTrue();
    assertThat(Integer.parseInt(count.group(1))).isGreaterThanOrEqualTo(3);
  }

  /** Sends the request anonymously and with the admin token; both answers must agree. */
  private static HttpResponse<byte[]> sameAnswer(HttpRequest.Builder request) {
    HttpResponse<byte[]> fast = server.send(request.copy());
    HttpResponse<byte[]> routed = server.send(request.copy()
        .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN));
    String what = fast.request().method() + " " + fast.uri() + " " + fast.request().headers().map();
    assertThat(fast.statusCode()).as(what).isEqualTo(routed.statusCode());
    assertThat(headers(fast)).as(what).isEqualTo(headers(routed));
    assertThat(fast.body()).as(what).isEqualTo(routed.body());
    return fast;
  }

  private static Map<String, List<String>> headers(HttpResponse<byte[]> res) {
    Map<String, List<String>> h = new TreeMap<>(res.headers().map());
    h.remove("date");
    return h;
  }
}
