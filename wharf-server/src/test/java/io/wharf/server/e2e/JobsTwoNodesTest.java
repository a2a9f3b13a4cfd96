package io.wharf.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.Jobs;
import io.wharf.server.testing.PostgresFixture;
import io.wharf.server.testing.SlowFeed;
import io.wharf.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two Wharf nodes on one PostgreSQL database share the job queue: each job runs once, and a node that stops hands over. */
class JobsTwoNodesTest {
  @TempDir Path data;

  private TestServer node(PostgresFixture.PgDatabase pg, String name) {
    return TestServer.start(data.resolve(name), Map.of("db.url", pg.jdbcUrl(), "db.user", pg.user(),
        "db.password", pg.password()));
  }

  private static HttpResponse<byte[]> importFile(TestServer via, Path file) throws Exception {
    return via.send(via.admin("/api/cves/import?filename=" + file.getFileName())
        .POST(HttpRequest.BodyPublishers.ofFile(file)));
  }

  @Test
  void importsQueuedThroughEitherNodeEachRunOnceAndAreSeenFromBoth() throws Exception {
    PostgresFixture.PgDatabase pg = PostgresFixture.shared().newDatabase();
    try (TestServer a = node(pg, "a"); TestServer b = node(pg, "b")) {
      List<Path> files;
      try (Stream<Path> s = Files.list(Fixtures.root().resolve("vuln/osv-json/requests"))) {
        files = s.sorted().limit(8).toList();
      }
      List<Long> ids = new ArrayList<>();
      for (int i = 0; i < files.size(); i++) {
        HttpResponse<byte[]> r = importFile(i % 2 == 0 ? a : b, files.get(i));
        assertThat(r.statusCode()).isEqualTo(202);
        ids.add(TestServer.json(r).path("id").asLong());
      }

      for (long id : ids) {
        JsonNode done = Jobs.await(a, id, Duration.ofSeconds(60));
        assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("succeeded");
        assertThat(done.path("attempt").asInt()).as("claimed once").isEqualTo(1);
        assertThat(done.path("result").path("read").asInt()).isEqualTo(1);
        assertThat(TestServer.json(b.send(b.admin("/api/jobs/" + id).GET()))).isEqualTo(done);
      }
      JsonNode listed = TestServer.json(b.send(b.admin("/api/jobs?limit=100").GET()));
      assertThat(listed.findValues("id").stream().map(JsonNode::asLong).toList()).containsAll(ids);
    }
  }

  @Test
  void aNodeStoppingInTheMiddleOfAnImportHandsItToTheOtherWhichFinishesIt() throws Exception {
    PostgresFixture.PgDatabase pg = PostgresFixture.shared().newDatabase();
    CountDownLatch rest = new CountDownLatch(1);
    try (SlowFeed feed = SlowFeed.start(Fixtures.root().resolve("vuln/osv-json/django"), 4, rest)) {
      TestServer a = node(pg, "a");
      TestServer b;
      long id;
      String first;
      try {
        HttpResponse<byte[]> r = a.send(a.admin("/api/cves/import").header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"" + feed.url("django.tar") + "\"}")));
        id = TestServer.json(r).path("id").asLong();
        // a has the job (the only node up) and waits for the rest of the feed
        first = awaitRead(a, id, 4).path("node").asText();
        b = node(pg, "b");
      } finally {
        a.close();
      }
      rest.countDown();

      try {
        JsonNode done = Jobs.await(b, id, Duration.ofSeconds(60));
        assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("succeeded");
        assertThat(done.path("result").path("read").asInt()).isEqualTo(feed.documents());
        assertThat(done.path("attempt").asInt()).isEqualTo(2);
        assertThat(done.path("node").asText()).isNotEqualTo(first);
      } finally {
        b.close();
      }
    }
  }

  private static JsonNode awaitRead(TestServer via, long id, int read) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      JsonNode j = TestServer.json(via.send(via.admin("/api/jobs/" + id).GET()));
      if (j.path("progress").path("read").asInt() >= read) {
        return j;
      }
      assertThat(System.nanoTime()).as("job %d reads: %s", id, j).isLessThan(end);
      Thread.sleep(50);
    }
  }
}
