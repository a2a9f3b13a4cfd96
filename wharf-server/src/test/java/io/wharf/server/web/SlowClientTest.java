package io.wharf.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.conda.archive.PackageWriter;
import io.wharf.server.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that send a request body slowly to a route that refuses it must not hold the server's worker
 * threads: with more of them than the server has threads, conda clients are still answered. A server with
 * a small pool (16 threads) makes that quick to show.
 */
class SlowClientTest {
  private static final Duration ANSWER_DEADLINE = Duration.ofSeconds(5);
  private static final String PACKAGE = "slow-test-1.0-0.tar.bz2";

  @TempDir static Path data;
  @TempDir static Path work;
  static TestServer server;
  static Path pkg;

  @BeforeAll
  static void start() throws IOException {
    server = TestServer.start(data, Map.of("http.threads", "16"));
    server.createChannel("pub", "public");
    pkg = work.resolve(PACKAGE);
    byte[] payload = new byte[64 * 1024];
    new Random(7).nextBytes(payload);
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("info/index.json", ("{\"name\":\"slow-test\",\"version\":\"1.0\",\"build\":\"0\",\"build_number\":0,"
        + "\"depends\":[],\"subdir\":\"noarch\"}").getBytes(StandardCharsets.UTF_8));
    files.put("info/paths.json", ("{\"paths\":[{\"_path\":\"share/payload\",\"path_type\":\"hardlink\","
        + "\"size_in_bytes\":" + payload.length + "}],\"paths_version\":1}").getBytes(StandardCharsets.UTF_8));
    files.put("share/payload", payload);
    PackageWriter.writeTarBz2(pkg, files);
    assertThat(server.upload("pub", pkg).statusCode()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void refusedSlowBodiesDoNotKeepCondaClientsWaiting() throws Exception {
    Map<SlowBodyClients.Kind, Integer> kinds = new LinkedHashMap<>();
    // The two cases: an anonymous upload and a GET with a body, each at 1 byte per second...
    kinds.put(new SlowBodyClients.Kind("put-trickle", "PUT /api/channels/pub/files/x-1.0-0.conda",
        "Content-Type: application/octet-stream\r\n", 1_000_000, 1, Duration.ofSeconds(1)), 20);
    kinds.put(new SlowBodyClients.Kind("get-trickle", "GET /api/channels/nosuch", "", 1_000_000, 1,
        Duration.ofSeconds(1)), 20);
    // ...and uploads that keep above the minimum data rate (about 20 KiB/s) and still must not hold a thread.
    kinds.put(new SlowBodyClients.Kind("put-steady", "PUT /api/channels/pub/files/y-1.0-0.conda",
        "Content-Type: application/octet-stream\r\n", 100_000, 1024, Duration.ofMillis(50)), 20);
    HttpClient http = HttpClient.newBuilder().connectTimeout(ANSWER_DEADLINE).build();
    try (SlowBodyClients clients = SlowBodyClients.start(server.port(), kinds)) {
      Instant connected = Instant.now().plusSeconds(20);
      while (clients.connectedOnce() < 60 && Instant.now().isBefore(connected)) {
        Thread.sleep(50);
      }
      assertThat(clients.connectedOnce()).isEqualTo(60);
      Thread.sleep(2_000); // every slow client has sent its head and is sending its body

      for (int round = 0; round < 5; round++) {
        for (String path : new String[] {"/conda/pub/noarch/repodata.json", "/conda/pub/noarch/" + PACKAGE}) {
          HttpResponse<byte[]> res = http.send(HttpRequest.newBuilder(URI.create(server.url() + path))
              .timeout(ANSWER_DEADLINE).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
          assertThat(res.statusCode()).as(path).isEqualTo(200);
        }
        Thread.sleep(200);
      }
      // The refusals reach the slow clients themselves, too: at once for the GETs, when the rate check
      // fails for the trickles, when the body is in for the steady ones.
      Instant answered = Instant.now().plusSeconds(20);
      while (clients.answers().keySet().size() < 3 && Instant.now().isBefore(answered)) {
        Thread.sleep(100);
      }
      assertThat(clients.answers()).as("status lines by kind; %d connections ended in an error", clients.resets())
          .containsOnlyKeys("put-trickle 401", "get-trickle 401", "put-steady 401");
    }
    assertThat(Files.readAllBytes(pkg)).isEqualTo(server.get("/conda/pub/noarch/" + PACKAGE).body());
  }

  @Test
  void aRefusedBodyIsReadWhenItArrivesAndLeftWithTheConnectionWhenItCrawls() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write(head("PUT /api/channels/pub/files/x-1.0-0.conda", 200_000));
      out.write(new byte[200_000]);
      String refusal = response(in);
      assertThat(refusal).startsWith("HTTP/1.1 401").doesNotContainIgnoringCase("connection: close");
      out.write(head("GET /health/live", 0));
      assertThat(response(in)).as("the same connection serves the next request").startsWith("HTTP/1.1 200");
    }
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(head("PUT /api/channels/pub/files/x-1.0-0.conda", 1_000_000));
      // 5 bytes per second, far below the minimum rate: the answer comes within a few seconds, not after
      // the 1,000,000 bytes announced
      for (int i = 0; i < 25 && socket.getInputStream().available() == 0; i++) {
        socket.getOutputStream().write('x');
        Thread.sleep(200);
      }
      assertThat(socket.getInputStream().available()).as("answered within 5 s").isPositive();
      assertThat(response(socket.getInputStream())).startsWith("HTTP/1.1 401")
          .containsIgnoringCase("connection: close");
    }
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(head("GET /api/channels/nosuch", 2_000));
      String refusal = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(refusal).as("a GET's body is not waited for").startsWith("HTTP/1.1 401")
          .containsIgnoringCase("connection: close");
    }
  }

  private static byte[] head(String requestLine, long contentLength) {
    return (requestLine + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + (contentLength > 0 ? "Content-Type: application/octet-stream\r\n" : "")
        + "Content-Length: " + contentLength + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** One HTTP/1.1 answer with a Content-Length body, head and body as text. */
  private static String response(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("closed after: " + head);
      }
      head.append((char) c);
    }
    java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
    int n = length.find() ? Integer.parseInt(length.group(1)) : 0;
    return head + new String(in.readNBytes(n), StandardCharsets.UTF_8);
  }

  @Test
  void uploadAtASlowButSteadyPaceIsStored() throws Exception {
    server.createChannel("steady", "public");
    byte[] body = Files.readAllBytes(pkg);
    // about 16 KiB/s, four times the default minimum rate: a few seconds for this package
    String answer = paced("PUT /api/channels/steady/files/" + PACKAGE, TestServer.ADMIN_TOKEN, body, 1024, 62);
    assertThat(answer).startsWith("HTTP/1.1 201");
    assertThat(server.getJson("/conda/steady/noarch/repodata.json").get("packages").has(PACKAGE)).isTrue();
  }

  @Test
  void uploadSlowerThanTheMinimumRateIsRefusedAndLeavesNothing() throws Exception {
    server.createChannel("crawl", "public");
    byte[] body = Files.readAllBytes(pkg);
    // about 1 KiB/s, a quarter of the default minimum rate
    String answer = paced("PUT /api/channels/crawl/files/" + PACKAGE, TestServer.ADMIN_TOKEN, body, 100, 100);
    assertThat(answer).startsWith("HTTP/1.1 408");
    assertThat(answer).contains("\"error\":\"request_too_slow\"").containsIgnoringCase("connection: close");
    assertThat(server.getJson("/api/channels/crawl/files")).isEmpty();
    assertNoSpoolFileWithin(data, Duration.ofSeconds(10));
  }

  @Test
  void requestThatGoesQuietIsEndedAfterTheIdleTimeout(@TempDir Path quietData) throws Exception {
    try (TestServer quiet = TestServer.start(quietData, Map.of("http.idle.timeout.ms", "1000"))) {
      quiet.createChannel("quiet", "public");
      byte[] body = Files.readAllBytes(pkg);
      try (Socket socket = new Socket("127.0.0.1", quiet.port())) {
        socket.setSoTimeout(10_000); // the server must end it well before this
        OutputStream out = socket.getOutputStream();
        out.write(("PUT /api/channels/quiet/files/" + PACKAGE + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Authorization: Bearer " + TestServer.ADMIN_TOKEN + "\r\nContent-Length: " + body.length
            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body, 0, body.length / 2); // and then nothing more
        String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(answer).startsWith("HTTP/1.1 408").containsIgnoringCase("connection: close");
      }
      assertThat(quiet.getJson("/api/channels/quiet/files")).isEmpty();
      assertNoSpoolFileWithin(quietData, Duration.ofSeconds(10));

      // and between requests: a kept-alive connection that stays quiet is closed, too
      try (Socket socket = new Socket("127.0.0.1", quiet.port())) {
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(head("GET /health/live", 0));
        assertThat(response(socket.getInputStream())).startsWith("HTTP/1.1 200");
        long start = System.nanoTime();
        assertThat(socket.getInputStream().read()).as("closed by the server").isEqualTo(-1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
      }
    }
  }

  private static void assertNoSpoolFileWithin(Path dataDir, Duration deadline) throws Exception {
    Instant until = Instant.now().plus(deadline);
    while (spoolFiles(dataDir) > 0 && Instant.now().isBefore(until)) {
      Thread.sleep(50);
    }
    assertThat(spoolFiles(dataDir)).isZero();
  }

  private static long spoolFiles(Path dataDir) throws IOException {
    Path tmp = dataDir.resolve("tmp");
    if (!Files.exists(tmp)) {
      return 0;
    }
    try (var files = Files.list(tmp)) {
      return files.count();
    }
  }

  /**
   * Sends a request whose body goes out {@code chunk} bytes every {@code everyMillis}, stopping early if the
   * server answers, and returns the whole answer (head and body) as text.
   */
  private static String paced(String requestLine, String token, byte[] body, int chunk, long everyMillis)
      throws IOException, InterruptedException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write((requestLine + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\n"
          + "Content-Type: application/octet-stream\r\nContent-Length: " + body.length + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      try {
        for (int off = 0; off < body.length && in.available() == 0; off += chunk) {
          out.write(body, off, Math.min(chunk, body.length - off));
          Thread.sleep(everyMillis);
        }
      } catch (IOException e) {
        // the server closed its side after answering; the answer is still there to read
      }
      socket.shutdownOutput();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
