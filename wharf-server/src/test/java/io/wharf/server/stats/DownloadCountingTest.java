package io.wharf.server.stats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.conda.archive.PackageWriter;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which package downloads count, seen from outside: over HTTP, the conda paths (with and without a token in
 * the URL) and the API totals. Each test works in its own channel. A "not counted" check downloads a
 * sentinel file afterwards and waits for that count: a wrongly counted request would be in the same or
 * an earlier flush.
 */
class DownloadCountingTest {
  static final String ZLIB = "zlib-1.2.11-h7b6447c_3.conda";
  static final Path ZLIB_FILE = Fixtures.realPackage(ZLIB);
  static final String SENTINEL = "run_exports_versions-1.0-he35c369_0.tar.bz2";
  static final String BIG = "bigdata-1.0-0.conda";
  static final AtomicInteger channels = new AtomicInteger();

  @TempDir static Path data;
  @TempDir static Path work;
  static TestServer server;
  static Path bigFile;

  @BeforeAll
  static void start() throws IOException {
    server = TestServer.start(data, Map.of("stats.flush.ms", "100"));
    // Larger than the socket buffers of both ends: a client that stops reading makes the server's writes fail.
    byte[] payload = new byte[24 * 1024 * 1024];
    new Random(42).nextBytes(payload);
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("info/index.json", ("{\"name\":\"bigdata\",\"version\":\"1.0\",\"build\":\"0\",\"build_number\":0,"
        + "\"subdir\":\"noarch\",\"noarch\":\"generic\",\"depends\":[]}").getBytes(StandardCharsets.UTF_8));
    files.put("share/bigdata/blob.bin", payload);
    bigFile = work.resolve(BIG);
    PackageWriter.writeConda(bigFile, "bigdata-1.0-0", files);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** A new public channel holding zlib and the sentinel package. */
  private static String channel(String privacy) {
    String name = "dl" + channels.incrementAndGet();
    assertThat(server.createChannel(name, privacy).statusCode()).isEqualTo(201);
    assertThat(server.upload(name, ZLIB_FILE).statusCode()).isEqualTo(201);
    assertThat(server.upload(name, Fixtures.realPackage(SENTINEL)).statusCode()).isEqualTo(201);
    return name;
  }

  private static long fileDownloads(String channel, String subdir, String filename) {
    return server.getJson("/api/channels/" + channel + "/files/" + subdir + "/" + filename).get("downloads").asLong();
  }

  private static void awaitFileDownloads(String channel, String subdir, String filename, long expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (fileDownloads(channel, subdir, filename) != expected && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(fileDownloads(channel, subdir, filename)).as(filename + " in " + channel).isEqualTo(expected);
  }

  /** Downloads the sentinel once and waits until the server has stored that count. */
  private static void flushed(String channel) throws InterruptedException {
    long before = fileDownloads(channel, "noarch", SENTINEL);
    assertThat(server.get("/conda/" + channel + "/noarch/" + SENTINEL).statusCode()).isEqualTo(200);
    awaitFileDownloads(channel, "noarch", SENTINEL, before + 1);
  }

  private static HttpResponse<byte[]> zlib(String channel, String header, String value) {
    HttpRequest.Builder r = server.request("/conda/" + channel + "/linux-64/" + ZLIB);
    return server.send(header == null ? r.GET() : r.header(header, value).GET());
  }

  @Test
  void aCompleteDownloadCountsForItsFileVersionAndPackage() throws Exception {
    String c = channel("public");
    assertThat(zlib(c, null, null).statusCode()).isEqualTo(200);
    assertThat(zlib(c, null, null).statusCode()).isEqualTo(200);

    awaitFileDownloads(c, "linux-64", ZLIB, 2);

    JsonNode pkg = server.getJson("/api/channels/" + c + "/packages/zlib");
    assertThat(pkg.get("downloads").asLong()).isEqualTo(2);
    assertThat(pkg.get("downloads_by_version").get("1.2.11").asLong()).isEqualTo(2);
    assertThat(pkg.get("files").get(0).get("downloads").asLong()).isEqualTo(2);
    JsonNode listed = server.getJson("/api/channels/" + c + "/files?filename=" + ZLIB);
    assertThat(listed.get(0).get("downloads").asLong()).isEqualTo(2);
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    JsonNode series = server.getJson("/api/channels/" + c + "/packages/zlib/downloads?from=" + today);
    assertThat(series.get("from").asText()).isEqualTo(today);
    assertThat(series.get("days")).hasSize(1);
    assertThat(series.get("days").get(0).get("date").asText()).isEqualTo(today);
    assertThat(series.get("days").get(0).get("downloads").asLong()).isEqualTo(2);
    assertThat(series.get("total").asLong()).isEqualTo(2);
    assertThat(series.get("downloads").asLong()).isEqualTo(2);
  }

  @Test
  void theDownloadsBadgeShowsTheStoredTotalOfItsSubchannel() throws Exception {
    String c = channel("public");
    for (int i = 0; i < 3; i++) {
      assertThat(zlib(c, null, null).statusCode()).isEqualTo(200);
    }
    awaitFileDownloads(c, "linux-64", ZLIB, 3);

    HttpResponse<byte[]> badge = server.get("/badges/" + c + "/zlib/downloads.svg");
    assertThat(badge.statusCode()).isEqualTo(200);
    assertThat(new String(badge.body(), java.nio.charset.StandardCharsets.UTF_8))
        .contains("<title>downloads: 3</title>");
    HttpResponse<byte[]> dev = server.get("/badges/" + c + "/label/dev/zlib/downloads.svg");
    assertThat(dev.statusCode()).as("no file of zlib in the dev subchannel").isEqualTo(404);
  }

  @Test
  void headNotModifiedPartialAndUnsatisfiableRequestsDoNotCount() throws Exception {
    String c = channel("public");
    String path = "/conda/" + c + "/linux-64/" + ZLIB;
    HttpResponse<byte[]> head = server.send(server.request(path).method("HEAD", HttpRequest.BodyPublishers.noBody()));
    assertThat(head.statusCode()).isEqualTo(200);
    String etag = head.headers().firstValue("ETag").orElseThrow();
    long size = Long.parseLong(head.headers().firstValue("Content-Length").orElseThrow());
    assertThat(zlib(c, "If-None-Match", etag).statusCode()).isEqualTo(304);
    assertThat(zlib(c, "Range", "bytes=0-99").statusCode()).isEqualTo(206);
    assertThat(zlib(c, "Range", "bytes=100-" + (size - 2)).statusCode()).as("all but the last byte").isEqualTo(206);
    assertThat(zlib(c, "Range", "bytes=" + size + "-").statusCode()).isEqualTo(416);

    flushed(c);

    assertThat(fileDownloads(c, "linux-64", ZLIB)).isZero();
  }

  @Test
  void aRangeThatEndsAtTheLastByteCompletesADownload() throws Exception {
    String c = channel("public");
    HttpResponse<byte[]> rest = zlib(c, "Range", "bytes=100-");
    assertThat(rest.statusCode()).isEqualTo(206);
    assertThat(zlib(c, "Range", "bytes=-50").statusCode()).isEqualTo(206);

    awaitFileDownloads(c, "linux-64", ZLIB, 2);
  }

  @Test
  void aTransferTheClientCutsOffDoesNotCount() throws Exception {
    String c = channel("public");
    assertThat(server.upload(c, bigFile).statusCode()).isEqualTo(201);
    for (int i = 0; i < 3; i++) {
      try (Socket s = new Socket("127.0.0.1", server.port())) {
        s.setReceiveBufferSize(64 * 1024);
        OutputStream out = s.getOutputStream();
        out.write(("GET /conda/" + c + "/noarch/" + BIG + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        assertThat(in.readNBytes(1024 * 1024)).hasSize(1024 * 1024);
        s.setSoLinger(true, 0); // reset, as a killed client's kernel would
      }
    }
    assertThat(server.get("/conda/" + c + "/noarch/" + BIG).body()).hasSize((int) Files.size(bigFile));

    awaitFileDownloads(c, "noarch", BIG, 1);
    flushed(c);
    assertThat(fileDownloads(c, "noarch", BIG)).as("only the complete one").isEqualTo(1);
  }

  @Test
  void downloadsThroughATokenInTheUrlOrAHeaderCount() throws Exception {
    String c = channel("private");
    assertThat(server.get("/t/" + TestServer.ADMIN_TOKEN + "/conda/" + c + "/linux-64/" + ZLIB).statusCode())
        .isEqualTo(200);
    assertThat(server.send(server.admin("/conda/" + c + "/linux-64/" + ZLIB).GET()).statusCode()).isEqualTo(200);
    assertThat(zlib(c, null, null).statusCode()).as("no token").isEqualTo(401);

    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    HttpRequest.Builder pkg = server.admin("/api/channels/" + c + "/packages/zlib").GET();
    while (TestServer.json(server.send(pkg)).get("downloads").asLong() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(TestServer.json(server.send(pkg)).get("downloads").asLong()).isEqualTo(2);
  }

  @Test
  void aDailySeriesRefusesDatesItCannotRead() {
    String c = channel("public");
    HttpResponse<byte[]> res = server.get("/api/channels/" + c + "/packages/zlib/downloads?from=yesterday");
    assertThat(res.statusCode()).isEqualTo(400);
    assertThat(TestServer.json(res).get("error").asText()).isEqualTo("invalid_from");
    HttpResponse<byte[]> reversed = server.get("/api/channels/" + c + "/packages/zlib/downloads?from=2026-02-02&to=2026-02-01");
    assertThat(reversed.statusCode()).isEqualTo(400);
    assertThat(server.get("/api/channels/" + c + "/packages/nothing-here/downloads").statusCode()).isEqualTo(404);
    JsonNode dflt = server.getJson("/api/channels/" + c + "/packages/zlib/downloads");
    assertThat(dflt.get("days")).hasSize(30);
    assertThat(dflt.get("to").asText()).isEqualTo(LocalDate.now(ZoneOffset.UTC).toString());
  }
}
