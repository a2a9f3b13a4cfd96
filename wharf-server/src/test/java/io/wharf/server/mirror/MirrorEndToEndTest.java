package io.wharf.server.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.Jobs;
import io.wharf.server.testing.MirrorUpstreams;
import io.wharf.server.testing.RattlerSolver;
import io.wharf.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second Wharf, filled with real fixture packages, is the upstream of mirrors in this one, through a
 * relay that counts what the mirrors ask of it.
 */
class MirrorEndToEndTest {
  static final List<String> PACKAGES = MirrorUpstreams.PACKAGES;
  static final String ZLIB = "zlib-1.2.11-h7b6447c_3.conda";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path upData;
  @TempDir static Path data;
  static TestServer upstream;
  static TestServer server;
  static UpstreamProxy relay;

  @BeforeAll
  static void start() throws Exception {
    upstream = MirrorUpstreams.wharf(upData, "up");
    relay = new UpstreamProxy(upstream.url());
    server = TestServer.start(data);
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {relay, server, upstream}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // next
      }
    }
  }

  @Test
  void activeMirrorStoresEveryFileWithUpstreamsRecordsAndRattlerSolvesFromIt() throws Exception {
    server.createChannel("act", "public");
    assertThat(create(server, "act", relay.url() + "/conda/up", "act", "active", List.of()).statusCode())
        .isEqualTo(201);
    relay.clear();
    JsonNode job = run(server, "act");
    JsonNode summary = last(job);
    assertThat(summary.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
    // the job's counters are the run's progress
    assertThat(job.path("progress").path("files").asLong()).isEqualTo(PACKAGES.size());
    assertThat(job.path("progress").path("files_total").asLong()).isEqualTo(PACKAGES.size());
    assertThat(job.path("progress").path("downloaded_bytes").asLong()).isEqualTo(summary.path("bytes").asLong());
    assertThat(summary.path("job_id").asLong()).isEqualTo(job.path("id").asLong());
    assertThat(summary.path("files").asLong()).isEqualTo(PACKAGES.size());
    assertThat(summary.path("bytes").asLong()).isGreaterThan(0);
    // the upstream's subdirs come from its channeldata.json; repodata is read compressed
    assertThat(relay.count("/channeldata.json")).isEqualTo(1);
    assertThat(relay.count("/linux-64/repodata.json.zst")).isEqualTo(1);
    assertThat(relay.count("/noarch/repodata.json.zst")).isEqualTo(1);
    for (String p : PACKAGES) {
      assertThat(relay.count("/" + p)).as(p).isEqualTo(1);
    }
    assertThat(records(server, "/conda/act")).isEqualTo(records(upstream, "/conda/up"));
    JsonNode files = server.getJson("/api/channels/act/files");
    assertThat(files).hasSize(PACKAGES.size());
    files.forEach(f -> assertThat(f.path("indexing").asText()).isEqualTo("stored"));

    relay.clear();
    RattlerSolver.assumeAvailable();
    RattlerSolver.SolveResult r = RattlerSolver.solve(List.of("other-package", "run_exports_versions"),
        List.of(server.url() + "/conda/act"), List.of("linux-64", "noarch"));
    assertThat(r.ok()).as(r.error()).isTrue();
    RattlerSolver.SolvedRecord zlib = r.record("other-package").orElseThrow();
    HttpResponse<byte[]> file = server.send(HttpRequest.newBuilder(URI.create(zlib.url())).GET());
    assertThat(file.statusCode()).isEqualTo(200);
    assertThat(sha256(file.body())).isEqualTo(zlib.sha256());
    assertThat(relay.hits()).as("an active mirror serves from its own store").isEmpty();
  }

  @Test
  void passiveMirrorCopiesRecordsAndFetchesAFileOnceForTwentyClientsAtOnce(@TempDir Path own) throws Exception {
    try (TestServer fresh = TestServer.start(own)) { // a store that holds none of these bytes yet
      passiveMirror(fresh);
    }
  }

  private void passiveMirror(TestServer server) throws Exception {
    server.createChannel("pas", "public");
    create(server, "pas", relay.url() + "/conda/up", "pas", "passive", List.of("linux-64"));
    relay.clear();
    JsonNode summary = last(run(server, "pas"));
    assertThat(summary.path("status").asText()).isEqualTo("succeeded");
    assertThat(summary.path("files").asLong()).isEqualTo(PACKAGES.size());
    assertThat(summary.path("bytes").asLong()).isZero();
    assertThat(relay.hits()).noneMatch(h -> h.path().endsWith(".conda") || h.path().endsWith(".tar.bz2"));
    assertThat(records(server, "/conda/pas")).isEqualTo(records(upstream, "/conda/up"));
    assertThat(indexing(server, "pas", ZLIB)).isEqualTo("passive");
    assertThat(searchable(server, "pas")).as("the job ends once its batches are indexed for search")
        .containsExactlyInAnyOrderElementsOf(packageNames(server, "pas"));
    HttpResponse<byte[]> check = server.send(server.admin("/api/admin/check").POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(check.statusCode()).isEqualTo(200);
    assertThat(TestServer.json(check).get("problems")).as("a passive row has no blob yet, and that is no problem")
        .isEmpty();

    RattlerSolver.assumeAvailable();
    RattlerSolver.SolveResult solved = RattlerSolver.solve(List.of("other-package"),
        List.of(server.url() + "/conda/pas"), List.of("linux-64", "noarch"));
    assertThat(solved.ok()).as(solved.error()).isTrue();
    assertThat(solved.record("other-package").orElseThrow().url()).startsWith(server.url() + "/conda/pas/");

    relay.delayFiles(500); // the first download is still on its way when the others ask
    String url = server.url() + "/conda/pas/linux-64/" + ZLIB;
    ExecutorService pool = Executors.newFixedThreadPool(20);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<HttpResponse<byte[]>>> answers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      answers.add(pool.submit(() -> {
        go.await();
        return server.send(HttpRequest.newBuilder(URI.create(url)).GET());
      }));
    }
    go.countDown();
    String expected = sha256(java.nio.file.Files.readAllBytes(Fixtures.realPackage(ZLIB)));
    for (Future<HttpResponse<byte[]>> a : answers) {
      HttpResponse<byte[]> res = a.get(60, TimeUnit.SECONDS);
      assertThat(res.statusCode()).isEqualTo(200);
      assertThat(sha256(res.body())).isEqualTo(expected);
    }
    pool.shutdown();
    relay.delayFiles(0);
    assertThat(relay.count("/" + ZLIB)).as("one upstream download for twenty clients").isEqualTo(1);
    assertThat(indexing(server, "pas", ZLIB)).isEqualTo("stored");
    assertThat(indexing(server, "pas", "zlib-1.2.11-h7b6447c_3.tar.bz2")).isEqualTo("passive");
    String filesTab = new String(server.get("/channels/pas/packages/zlib").body());
    assertThat(filesTab.split("class=\"tag indexing-passive\"", -1)).as("one of the two zlib files is passive")
        .hasSize(2);
    // kept: the next client is served from here
    assertThat(server.get("/conda/pas/linux-64/" + ZLIB).statusCode()).isEqualTo(200);
    assertThat(relay.count("/" + ZLIB)).isEqualTo(1);
  }

  @Test
  void aRerunAsksConditionallyAndWritesOnlyWhatChangedUpstream() throws Exception {
    upstream.createChannel("inc", "public");
    upstream.upload("inc", Fixtures.realPackage(ZLIB));
    server.createChannel("inc", "public");
    create(server, "inc", relay.url() + "/conda/inc", "inc", "active", List.of("linux-64"));
    assertThat(last(run(server, "inc")).path("files").asLong()).isEqualTo(1);

    relay.clear();
    JsonNode again = last(run(server, "inc"));
    assertThat(again.path("files").asLong()).isZero();
    assertThat(relay.hits()).filteredOn(h -> h.path().endsWith("/linux-64/repodata.json.zst"))
        .singleElement().satisfies(h -> {
          assertThat(h.ifNoneMatch()).isNotNull();
          assertThat(h.status()).isEqualTo(304);
        });

    upstream.upload("inc", Fixtures.realPackage("other-package-0.2-0.conda"));
    relay.clear();
    JsonNode third = last(run(server, "inc"));
    assertThat(third.path("files").asLong()).isEqualTo(1);
    assertThat(relay.count("/other-package-0.2-0.conda")).isEqualTo(1);
    assertThat(relay.count("/" + ZLIB)).isZero();
    assertThat(records(server, "/conda/inc")).isEqualTo(records(upstream, "/conda/inc"));
    JsonNode runs = TestServer.json(server.send(server.admin("/api/mirrors/inc/runs")));
    assertThat(runs).hasSize(3);
    assertThat(runs.get(0).path("files").asLong()).as("newest first").isEqualTo(1);
    assertThat(runs.get(1).path("files").asLong()).isZero();
    assertThat(runs.get(2).path("status").asText()).isEqualTo("succeeded");
    String page = new String(server.send(server.admin("/mirrors")).body());
    assertThat(page).contains("id=\"mirror-inc\"").contains(relay.url() + "/conda/inc");
    String incSection = page.substring(page.indexOf("id=\"mirror-inc\""));
    assertThat(incSection.substring(0, incSection.indexOf("</section>")).split("class=\"run-status\"", -1))
        .as("three runs listed").hasSize(4);
  }

  @Test
  void recordsRemovedUpstreamGoOnlyWhenTheMirrorSaysSo() throws Exception {
    upstream.createChannel("rm", "public");
    upstream.upload("rm", Fixtures.realPackage(ZLIB));
    upstream.upload("rm", Fixtures.realPackage("other-package-0.2-0.conda"));
    server.createChannel("rm-keep", "public");
    server.createChannel("rm-drop", "public");
    create(server, "rm-keep", relay.url() + "/conda/rm", "rm-keep", "passive", List.of("linux-64"));
    HttpResponse<byte[]> drop = server.send(server.admin("/api/mirrors").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"rm-drop\",\"upstream\":\"" + relay.url()
            + "/conda/rm\",\"channel\":\"rm-drop\",\"mode\":\"passive\",\"subdirs\":[\"linux-64\"],"
            + "\"remove_deleted\":true}")));
    assertThat(drop.statusCode()).isEqualTo(201);
    run(server, "rm-keep");
    run(server, "rm-drop");
    assertThat(upstream.send(upstream.admin("/api/channels/rm/files/linux-64/" + ZLIB).DELETE()).statusCode())
        .isEqualTo(204);

    assertThat(last(run(server, "rm-keep")).path("removed").asLong()).isZero();
    assertThat(last(run(server, "rm-drop")).path("removed").asLong()).isEqualTo(1);
    assertThat(records(server, "/conda/rm-keep")).containsKey(ZLIB);
    assertThat(records(server, "/conda/rm-drop")).doesNotContainKey(ZLIB).containsKey("other-package-0.2-0.conda");
  }

  @Test
  void aRunThatStopsHalfWayResumesWithoutFetchingFinishedFilesAgain() throws Exception {
    server.createChannel("resume", "public");
    create(server, "resume", relay.url() + "/conda/up", "resume", "active", List.of("linux-64"));
    relay.clear();
    relay.allowFiles(2);
    JsonNode first = last(run(server, "resume"));
    relay.allowFiles(Integer.MAX_VALUE);
    assertThat(first.path("status").asText()).isEqualTo("partial");
    assertThat(first.path("files").asLong()).isEqualTo(2);
    assertThat(first.path("errors").asLong()).isEqualTo(PACKAGES.size() - 2);
    assertThat(first.path("message").asText()).contains("503");
    List<String> fetchedFirst = relay.hits().stream().filter(h -> h.status() == 200)
        .map(UpstreamProxy.Hit::path).filter(p -> p.endsWith(".conda") || p.endsWith(".tar.bz2")).toList();
    assertThat(fetchedFirst).hasSize(2);

    relay.clear();
    JsonNode second = last(run(server, "resume"));
    assertThat(second.path("status").asText()).isEqualTo("succeeded");
    assertThat(second.path("files").asLong()).isEqualTo(PACKAGES.size() - 2);
    for (String done : fetchedFirst) {
      assertThat(relay.count(done)).as(done).isZero();
    }
    assertThat(records(server, "/conda/resume")).isEqualTo(records(upstream, "/conda/up"));
  }

  @Test
  void credentialsInTheUpstreamUrlAreSealedAndNeverShownAgain() throws Exception {
    upstream.createChannel("secret", "private");
    upstream.upload("secret", Fixtures.realPackage(ZLIB));
    String token = TestServer.ADMIN_TOKEN;
    server.createChannel("from-secret", "public");
    HttpResponse<byte[]> created = create(server, "secret", relay.url() + "/t/" + token + "/conda/secret",
        "from-secret", "passive", List.of("linux-64"));
    assertThat(created.statusCode()).isEqualTo(201);
    String shown = new String(created.body())
        + new String(server.send(server.admin("/api/mirrors/secret")).body());
    assertThat(shown).doesNotContain(token).contains("\"credentials_set\":true").contains("/t/{token}/conda/secret");
    assertThat(server.send(server.admin("/api/mirrors")).body()).asString().doesNotContain(token);

    assertThat(last(run(server, "secret")).path("files").asLong()).isEqualTo(1);
    assertThat(server.get("/conda/from-secret/linux-64/" + ZLIB).statusCode()).isEqualTo(200);
    try (var s = java.nio.file.Files.walk(data)) {
      for (Path p : s.filter(java.nio.file.Files::isRegularFile).toList()) {
        if (p.getFileName().toString().startsWith("wharf.db")) {
          assertThat(new String(java.nio.file.Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1))
              .as(p.toString()).doesNotContain(token);
        }
      }
    }
  }

  // ---- helpers shared with the other mirror tests

  static HttpResponse<byte[]> create(TestServer s, String name, String upstreamUrl, String channel, String mode,
      List<String> subdirs) throws Exception {
    String body = JSON.writeValueAsString(Map.of("name", name, "upstream", upstreamUrl, "channel", channel,
        "mode", mode, "subdirs", subdirs));
    return s.send(s.admin("/api/mirrors").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** Runs the mirror as a job and waits for it; the finished job (its result is the run). */
  static JsonNode run(TestServer s, String name) throws Exception {
    HttpResponse<byte[]> res = s.send(s.admin("/api/mirrors/" + name + "/run")
        .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(res.headers().firstValue("Location")).hasValue("/api/jobs/" + TestServer.json(res).path("id").asLong());
    return Jobs.awaitAccepted(s, res);
  }

  /** The run a finished mirror job made, as the history shows it. */
  static JsonNode last(JsonNode job) {
    assertThat(job.path("state").asText()).as(job.toString()).isEqualTo("succeeded");
    return job.get("result");
  }

  /** Every record of linux-64 and noarch, by filename, as the server publishes it. */
  static Map<String, JsonNode> records(TestServer s, String channelPath) {
    Map<String, JsonNode> out = new TreeMap<>();
    for (String subdir : List.of("linux-64", "noarch")) {
      JsonNode rd = s.getJson(channelPath + "/" + subdir + "/repodata.json");
      for (String key : List.of("packages", "packages.conda")) {
        rd.path(key).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
      }
    }
    return out;
  }

  /** The names a browsing search of the channel lists. */
  static List<String> searchable(TestServer s, String channel) {
    List<String> names = new ArrayList<>();
    s.getJson("/api/channels/" + channel + "/search?q=&per_page=100").get("results")
        .forEach(h -> names.add(h.get("name").asText()));
    return names;
  }

  /** The names the channel's rows hold. */
  static List<String> packageNames(TestServer s, String channel) {
    List<String> names = new ArrayList<>();
    s.getJson("/api/channels/" + channel + "/packages?limit=1000").forEach(p -> names.add(p.get("name").asText()));
    assertThat(names).isNotEmpty();
    return names;
  }

  static String indexing(TestServer s, String channel, String filename) {
    for (JsonNode f : s.getJson("/api/channels/" + channel + "/files")) {
      if (f.path("filename").asText().equals(filename)) {
        return f.path("indexing").asText();
      }
    }
    throw new AssertionError(filename + " not listed");
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
