package io.wharf.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.SlowFeed;
import io.wharf.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wharf cve import} as a job followed to its end, {@code --detach}, and {@code wharf job list|show}. */
class JobCliTest {
  @TempDir static Path data;
  @TempDir static Path work;
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(data);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static CliRun admin(String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.addAll(List.of("--url", server.url(), "--token", TestServer.ADMIN_TOKEN));
    return CliRun.of(all.toArray(String[]::new));
  }

  @Test
  void cveImportFollowsTheJobAndPrintsTheCountsAtTheEnd() {
    CliRun r = admin("cve", "import", Fixtures.root().resolve("vuln/nvd/CVE-2022-37434.json").toString());

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("records read 1, added 1, updated 0");
    assertThat(r.err()).containsPattern("job \\d+ succeeded, done: read 1, added 1, updated 0, matched 0");
  }

  @Test
  void cveImportFromAUrlReportsProgressWhileTheServerIsStillReading() throws Exception {
    CountDownLatch rest = new CountDownLatch(1);
    try (SlowFeed feed = SlowFeed.start(Fixtures.root().resolve("vuln/osv-json/flask"), 2, rest)) {
      CompletableFuture<CliRun> run = CompletableFuture.supplyAsync(() -> admin("cve", "import",
          feed.url("flask.tar")));
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      JsonNode midway;
      do {
        assertThat(System.nanoTime()).as("the import job reads the first documents").isLessThan(end);
        Thread.sleep(50);
        JsonNode jobs = TestServer.json(server.send(server.admin("/api/jobs?limit=1").GET()));
        midway = jobs.size() == 0 ? null : jobs.get(0);
      } while (midway == null || midway.path("progress").path("read").asInt() < 2);
      // off a terminal the CLI writes a line when the counters moved, at most every LINE_MILLIS: let it
      Thread.sleep(JobWatch.LINE_MILLIS + 4 * JobWatch.POLL_MILLIS);
      rest.countDown();

      CliRun r = run.get(60, TimeUnit.SECONDS);
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.err()).contains("running, reading: read 2");
      assertThat(r.out()).contains("records read " + feed.documents());
    }
  }

  @Test
  void detachReturnsTheJobIdAndJobCommandsShowIt() throws Exception {
    CliRun detached = admin("cve", "import", "--detach", Fixtures.root().resolve("vuln/nvd/CVE-2023-32681.json")
        .toString());
    assertThat(detached.exit()).as(detached.err()).isZero();
    long id = Long.parseLong(detached.out().trim());

    CliRun shown = admin("job", "show", String.valueOf(id), "--wait");
    assertThat(shown.exit()).as(shown.err()).isZero();
    assertThat(shown.out()).contains("job " + id + "  cve-import  succeeded").contains("result {\"read\":1,");
    CliRun json = admin("job", "show", String.valueOf(id), "--json");
    assertThat(new ObjectMapper().readTree(json.out()).path("progress").path("read").asInt()).isEqualTo(1);
    CliRun list = admin("job", "list");
    assertThat(list.exit()).isZero();
    assertThat(list.out()).containsPattern("\\s" + id + "  cve-import\\s+succeeded");
  }

  @Test
  void aFailedImportExitsNonZeroAndSaysWhy() throws Exception {
    Path bad = work.resolve("nonsense.yaml");
    Files.writeString(bad, "just: text\n");

    CliRun r = admin("cve", "import", bad.toString());

    assertThat(r.exit()).isNotZero();
    assertThat(r.err()).containsPattern("error: import failed \\(job \\d+\\): .*nonsense.yaml is neither an OSV record");
  }

  @Test
  void theProgressLineShowsBytesAsABarThenPhaseAndCounters() throws Exception {
    JsonNode job = new ObjectMapper().readTree("{\"state\":\"running\",\"phase\":\"reading\",\"progress\":"
        + "{\"bytes_total\":1000,\"bytes_read\":500,\"read\":5,\"added\":4}}");

    assertThat(JobWatch.render(job)).isEqualTo("[###############---------------]  50%  reading: read 5, added 4");
  }
}
