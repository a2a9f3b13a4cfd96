package io.wharf.server.e2e.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.wharf.server.Wharf;
import io.wharf.server.db.Database;
import io.wharf.server.testing.MirrorUpstreams;
import io.wharf.server.testing.ServerProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server killed (SIGKILL) while an active mirror run is downloading a file, and started again on the same
 * data, finishes the run once the job's lease has run out: every upstream file is in the channel once, with
 * upstream's bytes, the files committed before the kill are not fetched again, and no part of the cut
 * download is left behind. The upstream is a static channel directory whose noarch files stop half-way
 * until the server has been killed.
 */
class MirrorCrashTest {
  private static final String TOKEN = "mirror-crash-admin-token-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path scratch;
  @TempDir Path upstreamDir;
  @TempDir Path data;
  @TempDir Path logs;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aRunWhoseServerWasKilledMidFileCompletesAfterTheRestartWithEachFileOnceAndNoTemporaryFile() throws Exception {
    MirrorUpstreams.directory(scratch, upstreamDir);
    Map<String, String> upstreamSha = upstreamFiles();
    int linux64 = (int) upstreamSha.keySet().stream().filter(k -> k.startsWith("linux-64/")).count();
    assertThat(linux64).isBetween(1, upstreamSha.size() - 1);
    CountDownLatch release = new CountDownLatch(1);
    try (HeldFiles upstream = new HeldFiles(upstreamDir, "/noarch/", release)) {
      long id;
      try (ServerProcess first = serve("first.log")) {
        assertThat(send(first, "POST", "/api/channels", "{\"name\":\"mirrored\",\"privacy\":\"public\"}")
            .statusCode()).isEqualTo(201);
        HttpResponse<String> made = send(first, "POST", "/api/mirrors", JSON.writeValueAsString(Map.of("name", "m",
            "channel", "mirrored", "upstream", upstream.url(), "mode", "active", "subdirs", List.of("linux-64"))));
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        HttpResponse<String> accepted = send(first, "POST", "/api/mirrors/m/run", null);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        id = JSON.readTree(accepted.body()).path("id").asLong();

        // linux-64 committed, and the noarch file half-sent: the run is in the middle of a download
        assertThat(upstream.reached.await(60, TimeUnit.SECONDS)).as("the noarch download began").isTrue();
        JsonNode midway = await(first, id, j -> j.path("progress").path("files").asInt() >= linux64,
            Duration.ofSeconds(60));
        assertThat(midway.path("state").asText()).isEqualTo("running");
        assertThat(midway.path("progress").path("files").asInt()).isLessThan(upstreamSha.size());
        assertThat(filesUnder(data.resolve("tmp"))).as("the download being spooled").isNotEmpty();
        first.kill();
      }
      release.countDown();

      try (ServerProcess second = serve("second.log")) {
        // the lease (30 s) must run out before the restarted server takes the job up again
        JsonNode done = await(second, id, j -> j.path("state").asText().matches("succeeded|failed"),
            Duration.ofSeconds(150));
        assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("succeeded");
        assertThat(done.path("attempt").asInt()).isEqualTo(2);
        assertThat(done.path("result").path("status").asText()).isEqualTo("succeeded");
        assertThat(done.path("result").path("files").asLong()).as("the second attempt wrote only what was left")
            .isEqualTo(upstreamSha.size() - linux64);

        Map<String, List<String>> rows = rows();
        assertThat(rows.keySet()).isEqualTo(upstreamSha.keySet());
        rows.forEach((file, shas) -> assertThat(shas).as(file).containsExactly(upstreamSha.get(file)));
        for (Map.Entry<String, String> e : upstreamSha.entrySet()) {
          HttpResponse<byte[]> file = http.send(HttpRequest.newBuilder(URI.create(second.url() + "/conda/mirrored/"
              + e.getKey())).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
          assertThat(file.statusCode()).as(e.getKey()).isEqualTo(200);
          assertThat(sha256(file.body())).as(e.getKey()).isEqualTo(e.getValue());
          if (e.getKey().startsWith("linux-64/")) {
            assertThat(upstream.requests(e.getKey())).as("%s, committed before the kill, fetched once", e.getKey())
                .isEqualTo(1);
          }
        }
        assertThat(filesUnder(data.resolve("tmp"))).as("spool files").isEmpty();
        assertThat(filesUnder(data.resolve("blobs").resolve(".tmp"))).as("half-written blobs").isEmpty();
        HttpResponse<String> check = send(second, "POST", "/api/admin/check", null);
        assertThat(check.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(check.body()).path("problems")).as(check.body()).isEmpty();
      }
      String[] out = new String[1];
      int exit = cli(out, "check", "--data", data.toString());
      assertThat(exit).as(out[0]).isZero();
      assertThat(out[0]).contains("no problems found");
    }
  }

  /** {@code subdir/filename} to SHA-256 of every file of the upstream directory. */
  private Map<String, String> upstreamFiles() throws Exception {
    Map<String, String> out = new TreeMap<>();
    for (String subdir : MirrorUpstreams.SUBDIRS) {
      try (Stream<Path> s = Files.list(upstreamDir.resolve(subdir))) {
        for (Path p : s.filter(p -> !p.getFileName().toString().startsWith("repodata")).toList()) {
          out.put(subdir + "/" + p.getFileName(), sha256(Files.readAllBytes(p)));
        }
      }
    }
    return out;
  }

  /** {@code subdir/filename} to the SHA-256 of each of its rows in the mirrored channel, read from the database. */
  private Map<String, List<String>> rows() {
    Map<String, List<String>> out = new TreeMap<>();
    try (Database db = Database.openSqlite(data.resolve("wharf.db"))) {
      db.jdbi().useHandle(h -> h.createQuery("SELECT f.subdir, f.filename, f.sha256 FROM package_files f"
              + " JOIN channels c ON c.id = f.channel_id WHERE c.name = 'mirrored'")
          .map((rs, ctx) -> out.computeIfAbsent(rs.getString("subdir") + "/" + rs.getString("filename"),
              k -> new ArrayList<>()).add(rs.getString("sha256")))
          .list());
    }
    return out;
  }

  /** Regular files below {@code dir}, but the lock file an open blob store keeps. */
  private static List<Path> filesUnder(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals("lock")).toList();
    }
  }

  private static int cli(String[] out, String... args) {
    PrintStream was = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      System.setOut(capture);
      return Wharf.run(args);
    } finally {
      System.setOut(was);
      out[0] = bytes.toString(StandardCharsets.UTF_8);
    }
  }

  private ServerProcess serve(String log) throws InterruptedException {
    ServerProcess p = ServerProcess.start(List.of("--data", data.toString()), Map.of("WHARF_ADMIN_TOKEN", TOKEN),
        logs.resolve(log));
    assertThat(p.awaitServing(Duration.ofSeconds(120))).as(p.logText()).isTrue();
    return p;
  }

  private HttpResponse<String> send(ServerProcess server, String method, String path, String json) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
        .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(60));
    if (json != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode await(ServerProcess server, long id, Predicate<JsonNode> until, Duration deadline)
      throws Exception {
    long end = System.nanoTime() + deadline.toNanos();
    while (true) {
      JsonNode job = JSON.readTree(send(server, "GET", "/api/jobs/" + id, null).body());
      if (until.test(job)) {
        return job;
      }
      assertThat(System.nanoTime()).as("job %d: %s", id, job).isLessThan(end);
      Thread.sleep(100);
    }
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  /**
   * Serves a channel directory; a package file whose path contains {@code held} is sent half, then the
   * rest only once {@code release} opens (a download cut off by the kill). Counts requests per file.
   */
  private static final class HeldFiles implements AutoCloseable {
    final CountDownLatch reached = new CountDownLatch(1);
    private final HttpServer server;
    private final Path root;
    private final String held;
    private final CountDownLatch release;
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

    HeldFiles(Path root, String held, CountDownLatch release) throws IOException {
      this.root = root;
      this.held = held;
      this.release = release;
      this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
      server.setExecutor(Executors.newCachedThreadPool());
      server.createContext("/", this::serve);
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int requests(String file) {
      AtomicInteger n = requests.get("/" + file);
      return n == null ? 0 : n.get();
    }

    private void serve(HttpExchange exchange) throws IOException {
      String path = exchange.getRequestURI().getPath();
      Path file = root.resolve(path.substring(1)).normalize();
      try (exchange) {
        if (!file.startsWith(root) || !Files.isRegularFile(file)) {
          exchange.sendResponseHeaders(404, -1);
          return;
        }
        boolean pkg = !file.getFileName().toString().startsWith("repodata");
        if (pkg) {
          requests.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
        }
        byte[] bytes = Files.readAllBytes(file);
        exchange.sendResponseHeaders(200, bytes.length);
        OutputStream out = exchange.getResponseBody();
        if (pkg && path.contains(held) && release.getCount() > 0) {
          out.write(bytes, 0, bytes.length / 2);
          out.flush();
          reached.countDown();
          try {
            release.await(120, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
          out.write(bytes, bytes.length / 2, bytes.length - bytes.length / 2);
        } else {
          out.write(bytes);
        }
      } catch (IOException gone) {
        // the server that asked was killed
      }
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
