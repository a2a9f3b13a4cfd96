package io.wharf.server.vuln;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.db.Database;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.Jobs;
import io.wharf.server.testing.SlowFeed;
import io.wharf.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CVE import as a background job through the API: queued with 202, followed, progress while it runs. */
class CveImportJobTest {
  @TempDir static Path data;
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(data);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<byte[]> importFile(Path file) throws Exception {
    return server.send(server.admin("/api/cves/import?filename=" + file.getFileName())
        .POST(HttpRequest.BodyPublishers.ofFile(file)));
  }

  private static JsonNode job(long id) {
    return TestServer.json(server.send(server.admin("/api/jobs/" + id).GET()));
  }

  @Test
  void anImportIsQueuedWith202AndItsLocationAndFinishesWithItsCounts() throws Exception {
    Path nvd = Fixtures.root().resolve("vuln/nvd/CVE-2023-0286.json");

    HttpResponse<byte[]> accepted = importFile(nvd);

    assertThat(accepted.statusCode()).isEqualTo(202);
    JsonNode queued = TestServer.json(accepted);
    long id = queued.path("id").asLong();
    assertThat(accepted.headers().firstValue("Location")).contains("/api/jobs/" + id);
    assertThat(queued.path("kind").asText()).isEqualTo("cve-import");
    assertThat(queued.path("state").asText()).isIn("queued", "running", "succeeded");
    assertThat(queued.path("created_by").asText()).isEqualTo("admin");
    JsonNode done = Jobs.await(server, id, Duration.ofSeconds(60));
    assertThat(done.path("state").asText()).isEqualTo("succeeded");
    assertThat(done.path("result").path("read").asInt()).isEqualTo(1);
    assertThat(done.path("attempt").asInt()).isEqualTo(1);
    assertThat(done.path("progress").path("bytes_read").asLong()).isEqualTo(Files.size(nvd));
    assertThat(done.path("progress").path("bytes_total").asLong()).isEqualTo(Files.size(nvd));
    assertThat(done.path("finished_at").asText()).isNotEmpty();
    // matched by no file here: only administrators see it
    assertThat(TestServer.json(server.send(server.admin("/api/cves/CVE-2023-0286").GET())).path("id").asText())
        .isEqualTo("CVE-2023-0286");
    assertThat(server.get("/api/cves/CVE-2023-0286").statusCode()).isEqualTo(404);
    JsonNode list = TestServer.json(server.send(server.admin("/api/jobs").GET()));
    assertThat(list.findValues("id").stream().map(JsonNode::asLong).toList()).contains(id);
    // the uploaded document was kept only until the job finished
    try (Database db = Database.openSqlite(data.resolve("wharf.db"))) {
      int inputs = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM job_inputs WHERE job_id = :id")
          .bind("id", id).mapTo(Integer.class).one());
      assertThat(inputs).isZero();
    }
  }

  @Test
  void progressIsVisibleWhileAnImportFromAUrlIsStillReading() throws Exception {
    CountDownLatch rest = new CountDownLatch(1);
    try (SlowFeed feed = SlowFeed.start(Fixtures.root().resolve("vuln/osv-json/django"), 5, rest)) {
      HttpResponse<byte[]> accepted = server.send(server.admin("/api/cves/import")
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"" + feed.url("django.tar") + "\"}")));
      assertThat(accepted.statusCode()).as(new String(accepted.body(), StandardCharsets.UTF_8)).isEqualTo(202);
      long id = TestServer.json(accepted).path("id").asLong();

      JsonNode midway = awaitProgress(id, 5);
      assertThat(midway.path("state").asText()).isEqualTo("running");
      assertThat(midway.path("phase").asText()).isEqualTo("reading");
      assertThat(midway.path("progress").path("read").asInt()).isEqualTo(5);
      assertThat(midway.path("progress").path("bytes_read").asLong())
          .isLessThan(midway.path("progress").path("bytes_total").asLong());
      rest.countDown();

      JsonNode done = Jobs.await(server, id, Duration.ofSeconds(60));
      assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("succeeded");
      assertThat(done.path("result").path("read").asInt()).isEqualTo(feed.documents());
      assertThat(done.path("params").path("url").asText()).isEqualTo(feed.url("django.tar"));
    }
  }

  private static JsonNode awaitProgress(long id, int read) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      JsonNode j = job(id);
      if (j.path("progress").path("read").asInt() >= read) {
        return j;
      }
      assertThat(System.nanoTime()).as("progress of job %d: %s", id, j).isLessThan(end);
      Thread.sleep(50);
    }
  }

  @Test
  void aDocumentThatIsNoRecordFailsTheJobWithItsErrorAndMessage() throws Exception {
    Path bad = data.resolve("not-a-record.json");
    Files.writeString(bad, "{\"hello\": \"world\"}");

    JsonNode done = Jobs.awaitAccepted(server, importFile(bad));

    assertThat(done.path("state").asText()).isEqualTo("failed");
    assertThat(done.path("error").path("code").asText()).isEqualTo("bad_record");
    assertThat(done.path("error").path("message").asText()).contains("not-a-record.json");
  }

  @Test
  void aBadRequestIsRefusedAtOnceWithoutAJob() {
    HttpResponse<byte[]> noName = server.send(server.admin("/api/cves/import")
        .POST(HttpRequest.BodyPublishers.ofString("{}")));
    HttpResponse<byte[]> badUrl = server.send(server.admin("/api/cves/import")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"file:///etc/passwd\"}")));

    assertThat(noName.statusCode()).isEqualTo(400);
    assertThat(TestServer.json(noName).path("error").asText()).isEqualTo("missing_filename");
    assertThat(badUrl.statusCode()).isEqualTo(400);
    assertThat(TestServer.json(badUrl).path("error").asText()).isEqualTo("invalid_url");
    assertThat(server.send(server.admin("/api/jobs/999999").GET()).statusCode()).isEqualTo(404);
    assertThat(server.get("/api/jobs").statusCode()).isEqualTo(401);
  }

  @Test
  void aJobLeftRunningByANodeThatDiedIsTakenUpOnceItsLeaseRunsOut() throws Exception {
    byte[] doc = Files.readAllBytes(Fixtures.root().resolve("vuln/nvd/CVE-2018-18074.json"));
    long id;
    try (Database db = Database.openSqlite(data.resolve("wharf.db"))) {
      // what a node killed in the middle of the job leaves behind: running, its lease over, its input stored
      id = db.jdbi().inTransaction(h -> {
        long job = h.createUpdate("INSERT INTO jobs (kind, params_json, state, created_by, created_at, started_at,"
                + " phase, progress_json, attempt, lease_owner, lease_until) VALUES ('cve-import',"
                + " :params, 'running', 'admin', :now, :now, 'reading', '{\"read\":0}', 1, 'node-dead', :gone)")
            .bind("params", "{\"filename\":\"CVE-2018-18074.json\",\"size\":" + doc.length + "}")
            .bind("now", System.currentTimeMillis() - 60_000).bind("gone", System.currentTimeMillis() - 1)
            .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        h.createUpdate("INSERT INTO job_inputs (job_id, seq, data) VALUES (:id, 0, :data)")
            .bind("id", job).bind("data", doc).execute();
        return job;
      });
    }

    JsonNode done = Jobs.await(server, id, Duration.ofSeconds(60));

    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("succeeded");
    assertThat(done.path("attempt").asInt()).isEqualTo(2);
    assertThat(done.path("node").asText()).isNotEqualTo("node-dead");
    assertThat(done.path("result").path("read").asInt()).isEqualTo(1);
  }
}
