package io.wharf.server.mirror;

import static io.wharf.server.mirror.MirrorEndToEndTest.create;
import static io.wharf.server.mirror.MirrorEndToEndTest.indexing;
import static io.wharf.server.mirror.MirrorEndToEndTest.last;
import static io.wharf.server.mirror.MirrorEndToEndTest.records;
import static io.wharf.server.mirror.MirrorEndToEndTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.MirrorUpstreams;
import io.wharf.server.testing.RattlerSolver;
import io.wharf.server.testing.TestServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upstream is a plain directory laid out as conda-index writes it (repodata.json per subdir, no
 * zstd, no channeldata.json), served by Jetty's static file handler: the repodata comes from a Wharf
 * channel of real fixture packages, so records and files agree. A second directory holds the same
 * repodata with one file's bytes swapped for another's.
 */
class MirrorStaticDirectoryTest {
  static final String OTHER = "other-package-0.2-0.conda";
  @TempDir static Path upData;
  @TempDir static Path data;
  @TempDir static Path dir;
  @TempDir static Path tampered;
  static TestServer server;
  static Server files;
  static Server badFiles;

  @BeforeAll
  static void start() throws Exception {
    MirrorUpstreams.directory(upData, dir, tampered);
    // same name, other bytes: what the record says no longer holds
    Files.copy(Fixtures.realPackage("run_exports_versions-1.0-he35c369_0.tar.bz2"),
        tampered.resolve("linux-64").resolve(OTHER), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    files = serve(dir);
    badFiles = serve(tampered);
    server = TestServer.start(data);
  }

  static Server serve(Path root) throws Exception {
    Server jetty = new Server(new InetSocketAddress("127.0.0.1", 0));
    ResourceHandler handler = new ResourceHandler();
    handler.setBaseResource(ResourceFactory.of(handler).newResource(root));
    handler.setDirAllowed(false);
    jetty.setHandler(handler);
    jetty.start();
    return jetty;
  }

  static String url(Server jetty) {
    return "http://127.0.0.1:" + ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    for (Server s : new Server[] {files, badFiles}) {
      if (s != null) {
        s.stop();
      }
    }
  }

  @Test
  void aStaticDirectoryMirrorsInBothModesAndRattlerSolvesFromEach() throws Exception {
    server.createChannel("static-act", "public");
    server.createChannel("static-pas", "public");
    assertThat(create(server, "static-act", url(files), "static-act", "active", List.of("linux-64")).statusCode())
        .isEqualTo(201);
    create(server, "static-pas", url(files), "static-pas", "passive", List.of("linux-64"));
    JsonNode act = last(run(server, "static-act"));
    JsonNode pas = last(run(server, "static-pas"));
    assertThat(act.path("status").asText()).isEqualTo("succeeded");
    assertThat(act.path("files").asLong()).isEqualTo(MirrorEndToEndTest.PACKAGES.size());
    assertThat(pas.path("files").asLong()).isEqualTo(MirrorEndToEndTest.PACKAGES.size());
    Map<String, JsonNode> upstream = new java.util.TreeMap<>();
    for (String subdir : List.of("linux-64", "noarch")) {
      JsonNode rd = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve(subdir)
          .resolve("repodata.json").toFile());
      for (String key : List.of("packages", "packages.conda")) {
        rd.path(key).fields().forEachRemaining(e -> upstream.put(e.getKey(), e.getValue()));
      }
    }
    assertThat(records(server, "/conda/static-act")).isEqualTo(upstream);
    assertThat(records(server, "/conda/static-pas")).isEqualTo(upstream);

    RattlerSolver.assumeAvailable();
    for (String channel : List.of("static-act", "static-pas")) {
      RattlerSolver.SolveResult r = RattlerSolver.solve(List.of("other-package", "run_exports_versions"),
          List.of(server.url() + "/conda/" + channel), List.of("linux-64", "noarch"));
      assertThat(r.ok()).as(r.error()).isTrue();
      RattlerSolver.SolvedRecord rec = r.record("other-package").orElseThrow();
      HttpResponse<byte[]> file = server.send(HttpRequest.newBuilder(URI.create(rec.url())).GET());
      assertThat(file.statusCode()).isEqualTo(200);
      assertThat(MirrorEndToEndTest.sha256(file.body())).isEqualTo(rec.sha256());
    }
  }

  @Test
  void aFileThatDisagreesWithItsRecordIsRefusedInBothModes(@TempDir Path own) throws Exception {
    try (TestServer fresh = TestServer.start(own)) { // a store that holds none of these bytes yet
      refusesTamperedFiles(fresh);
    }
  }

  private void refusesTamperedFiles(TestServer server) throws Exception {
    server.createChannel("bad-act", "public");
    server.createChannel("bad-pas", "public");
    create(server, "bad-act", url(badFiles), "bad-act", "active", List.of("linux-64"));
    create(server, "bad-pas", url(badFiles), "bad-pas", "passive", List.of("linux-64"));
    JsonNode act = last(run(server, "bad-act"));
    assertThat(act.path("status").asText()).isEqualTo("partial");
    assertThat(act.path("errors").asLong()).isEqualTo(1);
    assertThat(act.path("files").asLong()).isEqualTo(MirrorEndToEndTest.PACKAGES.size() - 1);
    assertThat(act.path("message").asText()).startsWith("linux-64/" + OTHER + ": ").contains("does not match");
    assertThat(records(server, "/conda/bad-act")).doesNotContainKey(OTHER);

    run(server, "bad-pas");
    HttpResponse<byte[]> res = server.get("/conda/bad-pas/linux-64/" + OTHER);
    assertThat(res.statusCode()).isEqualTo(502);
    JsonNode err = TestServer.json(res);
    assertThat(err.path("error").asText()).isEqualTo("upstream_mismatch");
    assertThat(err.path("message").asText()).contains("does not match its record");
    assertThat(indexing(server, "bad-pas", OTHER)).isEqualTo("passive");
  }

  @Test
  void anUpstreamThatIsGoneAnswers502AndOneThatIsSilentAnswers504(@TempDir Path own) throws Exception {
    try (TestServer server = TestServer.start(own, Map.of("mirror.timeout.ms", "3000"))) {
      server.createChannel("gone", "public");
      Server goneServer = serve(dir);
      create(server, "gone", url(goneServer), "gone", "passive", List.of("linux-64"));
      run(server, "gone");
      goneServer.stop(); // closes its port and its connections

      HttpResponse<byte[]> gone = server.get("/conda/gone/linux-64/" + OTHER);
      assertThat(gone.statusCode()).as(new String(gone.body())).isEqualTo(502);
      assertThat(gone.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
      assertThat(TestServer.json(gone).path("error").asText()).isEqualTo("upstream_unreachable");
      assertThat(TestServer.json(gone).path("message").asText()).contains("cannot connect to");
      assertThat(indexing(server, "gone", OTHER)).isEqualTo("passive");

      JsonNode failedJob = run(server, "gone");
      assertThat(failedJob.path("state").asText()).isEqualTo("failed");
      assertThat(failedJob.path("error").path("code").asText()).isEqualTo("mirror_failed");
      assertThat(failedJob.path("error").path("message").asText()).contains("cannot connect to");
      JsonNode runs = TestServer.json(server.send(server.admin("/api/mirrors/gone/runs")));
      assertThat(runs).hasSize(2);
      assertThat(runs.get(0).path("status").asText()).isEqualTo("failed");
      assertThat(runs.get(0).path("message").asText()).contains("cannot connect to");
      assertThat(runs.get(0).path("job_id").asLong()).isEqualTo(failedJob.path("id").asLong());
      assertThat(runs.get(1).path("status").asText()).isEqualTo("succeeded");

      server.createChannel("slow", "public");
      try (UpstreamProxy slowRelay = new UpstreamProxy(url(files))) {
        create(server, "slow", slowRelay.url(), "slow", "passive", List.of("linux-64"));
        JsonNode slowRun = run(server, "slow");
        assertThat(last(slowRun).path("files").asLong()).as(slowRun.toString())
            .isEqualTo(MirrorEndToEndTest.PACKAGES.size());
        slowRelay.delayFiles(10_000); // longer than this server's mirror.timeout.ms
        HttpResponse<byte[]> slow = server.get("/conda/slow/linux-64/" + OTHER);
        assertThat(slow.statusCode()).as(new String(slow.body())).isEqualTo(504);
        assertThat(TestServer.json(slow).path("error").asText()).isEqualTo("upstream_timeout");
        assertThat(TestServer.json(slow).path("message").asText()).contains("did not answer within 3 s");
      }
    }
  }
}
