package io.wharf.server.e2e.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.ServerProcess;
import io.wharf.server.testing.SlowFeed;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server killed (SIGKILL) in the middle of a CVE import job leaves the job running under a lease nobody
 * renews; started again on the same data, it takes the job up once the lease has run out and finishes it.
 */
class JobCrashTest {
  private static final String TOKEN = "crash-test-admin-token-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path data;
  @TempDir Path logs;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void anImportWhoseServerWasKilledIsFinishedAfterTheRestart() throws Exception {
    CountDownLatch rest = new CountDownLatch(1);
    try (SlowFeed feed = SlowFeed.start(Fixtures.root().resolve("vuln/osv-json/django"), 4, rest)) {
      long id;
      String firstNode;
      try (ServerProcess first = serve("first.log")) {
        HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(URI.create(first.url() + "/api/cves/import"))
            .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"" + feed.url("django.tar") + "\"}")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        id = JSON.readTree(accepted.body()).path("id").asLong();
        JsonNode midway = await(first, id, j -> j.path("progress").path("read").asInt() >= 4, Duration.ofSeconds(60));
        firstNode = midway.path("node").asText();

        first.kill();
      }
      rest.countDown();

      try (ServerProcess second = serve("second.log")) {
        // the lease (30 s) must run out before the restarted server may take the job
        JsonNode done = await(second, id, j -> j.path("state").asText().matches("succeeded|failed"),
            Duration.ofSeconds(120));
        assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("succeeded");
        assertThat(done.path("attempt").asInt()).isEqualTo(2);
        assertThat(done.path("node").asText()).isNotEqualTo(firstNode);
        assertThat(done.path("result").path("read").asInt()).isEqualTo(feed.documents());
      }
    }
  }

  private ServerProcess serve(String log) throws InterruptedException {
    ServerProcess p = ServerProcess.start(List.of("--data", data.toString()), Map.of("WHARF_ADMIN_TOKEN", TOKEN),
        logs.resolve(log));
    assertThat(p.awaitServing(Duration.ofSeconds(120))).as(p.logText()).isTrue();
    return p;
  }

  private JsonNode await(ServerProcess server, long id, Predicate<JsonNode> until, Duration deadline)
      throws Exception {
    long end = System.nanoTime() + deadline.toNanos();
    while (true) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/jobs/" + id))
          .header("Authorization", "Bearer " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
      JsonNode job = JSON.readTree(r.body());
      if (until.test(job)) {
        return job;
      }
      assertThat(System.nanoTime()).as("job %d: %s", id, job).isLessThan(end);
      Thread.sleep(100);
    }
  }
}
