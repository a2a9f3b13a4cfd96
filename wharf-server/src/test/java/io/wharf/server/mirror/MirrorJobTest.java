package io.wharf.server.mirror;

import static io.wharf.server.mirror.MirrorEndToEndTest.PACKAGES;
import static io.wharf.server.mirror.MirrorEndToEndTest.create;
import static io.wharf.server.mirror.MirrorEndToEndTest.last;
import static io.wharf.server.mirror.MirrorEndToEndTest.records;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.db.Database;
import io.wharf.server.testing.Jobs;
import io.wharf.server.testing.MirrorUpstreams;
import io.wharf.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.HandleConsumer;
import org.jdbi.v3.core.HandleCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mirror runs as background jobs: one at a time per mirror, taken up after a lost lease, on a schedule, deleted. */
class MirrorJobTest {
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
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {relay, server, upstream}) {
      if (c != null) {
        c.close();
      }
    }
  }

  private static HttpResponse<byte[]> post(String path) {
    return server.send(server.admin(path).POST(HttpRequest.BodyPublishers.noBody()));
  }

  private static void sql(HandleConsumer<RuntimeException> work) {
    try (Database db = Database.openSqlite(data.resolve("wharf.db"))) {
      db.jdbi().useHandle(work);
    }
  }

  private static <T> T query(HandleCallback<T, RuntimeException> work) {
    try (Database db = Database.openSqlite(data.resolve("wharf.db"))) {
      return db.jdbi().withHandle(work);
    }
  }

  private static void await(CountDownLatch latch, String what) throws InterruptedException {
    assertThat(latch.await(60, TimeUnit.SECONDS)).as(what).isTrue();
  }

  @Test
  void aRunWhoseNodeLostTheJobIsTakenUpAgainAndEndsCompleteWithoutFetchingOrWritingTwice() throws Exception {
    server.createChannel("takeover", "public");
    create(server, "takeover", relay.url() + "/conda/up", "takeover", "active", List.of("linux-64"));
    relay.clear();
    CountDownLatch release = new CountDownLatch(1);
    // linux-64 is written completely; the run then waits on noarch's repodata
    CountDownLatch reached = relay.hold("/noarch/repodata.json.zst", release);
    HttpResponse<byte[]> accepted = post("/api/mirrors/takeover/run");
    assertThat(accepted.statusCode()).isEqualTo(202);
    long id = TestServer.json(accepted).path("id").asLong();
    await(reached, "the run reached noarch");

    // What another node's claim does once this node's lease ran out, and that node dying in turn: the
    // lease is no longer this node's, and it has run out, so the job is claimed again.
    sql(h -> h.execute("UPDATE jobs SET lease_owner = 'crashed-node', attempt = attempt + 1, lease_until = 1"
        + " WHERE id = ?", id));
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (query(h -> h.createQuery("SELECT attempt FROM jobs WHERE id = :id").bind("id", id).mapTo(Integer.class)
        .one()) < 3) {
      assertThat(System.nanoTime()).as("job claimed again").isLessThan(end);
      Thread.sleep(50);
    }
    release.countDown(); // the first attempt now finds it lost the job and stops before noarch

    JsonNode job = Jobs.await(server, id, Duration.ofSeconds(60));
    assertThat(job.path("state").asText()).as(job.toString()).isEqualTo("succeeded");
    assertThat(job.path("attempt").asInt()).isEqualTo(3);
    assertThat(last(job).path("status").asText()).isEqualTo("succeeded");
    JsonNode noarch = upstream.getJson("/conda/up/noarch/repodata.json");
    int noarchFiles = noarch.path("packages").size() + noarch.path("packages.conda").size();
    assertThat(noarchFiles).isBetween(1, PACKAGES.size() - 1);
    assertThat(last(job).path("files").asLong()).as("only noarch's files were left").isEqualTo(noarchFiles);
    for (String p : PACKAGES) {
      assertThat(relay.count("/" + p)).as("%s fetched once over both attempts", p).isEqualTo(1);
    }
    assertThat(records(server, "/conda/takeover")).isEqualTo(records(upstream, "/conda/up"));
    int rows = query(h -> h.createQuery("SELECT COUNT(*) FROM package_files f JOIN channels c"
        + " ON c.id = f.channel_id WHERE c.name = 'takeover'").mapTo(Integer.class).one());
    int noted = query(h -> h.createQuery("SELECT COUNT(*) FROM mirror_records r JOIN mirrors m ON m.id = r.mirror_id"
        + " WHERE m.name = 'takeover'").mapTo(Integer.class).one());
    assertThat(rows).as("package rows").isEqualTo(PACKAGES.size());
    assertThat(noted).as("mirror records").isEqualTo(PACKAGES.size());
    // the history keeps both attempts' runs, the first closed as stopped, both naming the job
    JsonNode runs = TestServer.json(server.send(server.admin("/api/mirrors/takeover/runs")));
    assertThat(runs).hasSize(2);
    assertThat(runs.get(1).path("status").asText()).isEqualTo("failed");
    assertThat(runs.get(1).path("message").asText()).contains("no longer leased");
    assertThat(runs.get(1).path("files").asLong()).isEqualTo(PACKAGES.size() - noarchFiles);
    runs.forEach(r -> assertThat(r.path("job_id").asLong()).isEqualTo(id));
  }

  @Test
  void aSecondRunOrADeleteWhileARunIsUnderWayAnswers409NamingItsJob() throws Exception {
    server.createChannel("busy", "public");
    create(server, "busy", relay.url() + "/conda/up", "busy", "passive", List.of("linux-64"));
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch reached = relay.hold("/linux-64/repodata.json.zst", release);
    HttpResponse<byte[]> first = post("/api/mirrors/busy/run");
    long id = TestServer.json(first).path("id").asLong();
    await(reached, "the run started");

    HttpResponse<byte[]> second = post("/api/mirrors/busy/run");
    assertThat(second.statusCode()).isEqualTo(409);
    JsonNode err = TestServer.json(second);
    assertThat(err.path("error").asText()).isEqualTo("mirror_running");
    assertThat(err.path("details").path("job_id").asLong()).isEqualTo(id);
    assertThat(err.path("message").asText()).contains("job " + id);
    HttpResponse<byte[]> delete = server.send(server.admin("/api/mirrors/busy").DELETE());
    assertThat(delete.statusCode()).isEqualTo(409);
    assertThat(TestServer.json(delete).path("details").path("job_id").asLong()).isEqualTo(id);

    release.countDown();
    assertThat(last(Jobs.awaitAccepted(server, first)).path("files").asLong()).isEqualTo(PACKAGES.size());
    // once it finished, a new run is queued again
    assertThat(last(Jobs.awaitAccepted(server, post("/api/mirrors/busy/run"))).path("files").asLong()).isZero();

    assertThat(server.send(server.admin("/api/mirrors/busy").DELETE()).statusCode()).isEqualTo(204);
    assertThat(server.send(server.admin("/api/mirrors/busy").GET()).statusCode()).isEqualTo(404);
    assertThat(server.send(server.admin("/api/mirrors/busy/runs").GET()).statusCode()).isEqualTo(404);
    // the mirrored files stay in the channel
    assertThat(records(server, "/conda/busy")).isEqualTo(records(upstream, "/conda/up"));
    assertThat(server.getJson("/api/channels/busy/files")).hasSize(PACKAGES.size());
  }

  @Test
  void aMirrorOnAScheduleIsQueuedOnceWhenDueAndItsNextRunMovesOn() throws Exception {
    server.createChannel("sched", "public");
    HttpResponse<byte[]> made = server.send(server.admin("/api/mirrors").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"sched\",\"channel\":\"sched\",\"mode\":\"passive\","
            + "\"upstream\":\"" + relay.url() + "/conda/up\",\"subdirs\":[\"linux-64\"],\"every\":\"90m\"}")));
    assertThat(made.statusCode()).as(new String(made.body())).isEqualTo(201);
    JsonNode m = TestServer.json(made);
    assertThat(m.path("every").asText()).isEqualTo("1h30m");
    Instant firstDue = Instant.parse(m.path("next_run_at").asText());
    assertThat(firstDue).isAfter(Instant.now().plus(Duration.ofMinutes(89)));

    sql(h -> h.execute("UPDATE mirrors SET next_run_at = 1 WHERE name = 'sched'")); // due now
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    List<Long> queued;
    while ((queued = scheduledJobs()).isEmpty()) {
      assertThat(System.nanoTime()).as("a scheduled run was queued").isLessThan(end);
      Thread.sleep(100);
    }
    JsonNode job = Jobs.await(server, queued.get(0), Duration.ofSeconds(60));
    assertThat(job.path("created_by").asText()).isEqualTo("mirror schedule");
    assertThat(last(job).path("files").asLong()).isEqualTo(PACKAGES.size());
    assertThat(scheduledJobs()).hasSize(1);
    Instant next = Instant.parse(TestServer.json(server.send(server.admin("/api/mirrors/sched").GET()))
        .path("next_run_at").asText());
    assertThat(next).isAfter(Instant.now().plus(Duration.ofMinutes(89)));
  }

  private static List<Long> scheduledJobs() {
    return query(h -> h.createQuery("SELECT id FROM jobs WHERE kind = 'mirror-run' AND created_by = 'mirror schedule'"
        + " AND params_json LIKE '%\"sched\"%'").mapTo(Long.class).list());
  }

  @Test
  void ofTwoNodesOnlyTheOneWhoseConditionalUpdateFindsTheDueTimeQueuesTheRun() throws Exception {
    server.createChannel("race", "public");
    create(server, "race", relay.url() + "/conda/up", "race", "passive", List.of("linux-64"));
    try (Database a = Database.openSqlite(data.resolve("wharf.db"));
        Database b = Database.openSqlite(data.resolve("wharf.db"))) {
      long id = new JdbcMirrors(a).byName("race").orElseThrow().mirror().id();
      // times far ahead, so that this server's own scheduler leaves the mirror alone
      long due = Instant.parse("2100-01-01T00:00:00Z").toEpochMilli();
      a.jdbi().useHandle(h -> h.execute("UPDATE mirrors SET every_seconds = 3600, next_run_at = ? WHERE id = ?", due,
          id));
      assertThat(new JdbcMirrors(a).advance(id, due, due + 3_600_000)).isTrue();
      assertThat(new JdbcMirrors(b).advance(id, due, due + 7_200_000)).as("the other node saw the same due time")
          .isFalse();
      assertThat(new JdbcMirrors(b).byId(id).orElseThrow().mirror().nextRunAt())
          .isEqualTo(Instant.ofEpochMilli(due + 3_600_000));
    }
  }

  @Test
  void aMirrorsScheduleRemovalsAndPolicyChangeByPatchAndABadChangeChangesNothing() throws Exception {
    server.createChannel("patched", "public");
    create(server, "patched", relay.url() + "/conda/up", "patched", "passive", List.of("linux-64"));
    HttpResponse<byte[]> policy = server.send(server.admin("/api/policies").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"zlib-only\",\"filters\":{\"include\":[\"zlib\"]}}")));
    assertThat(policy.statusCode()).as(new String(policy.body())).isEqualTo(201);

    JsonNode m = patch("patched", "{\"every\":\"6h\",\"remove_deleted\":true,\"policy\":\"zlib-only\"}", 200);
    assertThat(m.path("every").asText()).isEqualTo("6h");
    assertThat(Instant.parse(m.path("next_run_at").asText())).isBetween(Instant.now().plus(Duration.ofHours(5)),
        Instant.now().plus(Duration.ofHours(6)));
    assertThat(m.path("remove_deleted").asBoolean()).isTrue();
    assertThat(m.path("policy").asText()).isEqualTo("zlib-only");
    assertThat(m.path("remove_excluded").asBoolean()).isFalse();
    // what is left out stays; the policy the next run follows keeps only zlib
    m = patch("patched", "{\"remove_excluded\":true}", 200);
    assertThat(m.path("policy").asText()).isEqualTo("zlib-only");
    assertThat(m.path("remove_excluded").asBoolean()).isTrue();
    assertThat(m.path("every").asText()).isEqualTo("6h");
    JsonNode run = last(Jobs.awaitAccepted(server, post("/api/mirrors/patched/run")));
    assertThat(run.path("files").asLong()).isEqualTo(2);
    assertThat(run.path("excluded_by").path("include").asLong()).isEqualTo(PACKAGES.size() - 2);

    // refused, and nothing changed: an unknown policy, a field that cannot change, a bad period, no fields
    assertThat(patch("patched", "{\"every\":\"1h\",\"policy\":\"nope\"}", 404).path("error").asText())
        .isEqualTo("policy_not_found");
    assertThat(patch("patched", "{\"every\":\"1h\",\"mode\":\"active\"}", 400).path("error").asText())
        .isEqualTo("invalid_field");
    assertThat(patch("patched", "{\"every\":\"30s\"}", 400).path("error").asText()).isEqualTo("invalid_every");
    assertThat(patch("patched", "{\"remove_deleted\":\"yes\"}", 400).path("error").asText())
        .isEqualTo("invalid_field");
    assertThat(patch("patched", "{}", 400).path("error").asText()).isEqualTo("nothing_to_change");
    JsonNode same = TestServer.json(server.send(server.admin("/api/mirrors/patched").GET()));
    assertThat(same.path("every").asText()).isEqualTo("6h");
    assertThat(same.path("mode").asText()).isEqualTo("passive");

    m = patch("patched", "{\"every\":null,\"policy\":null,\"remove_deleted\":false}", 200);
    assertThat(m.path("every").isNull()).isTrue();
    assertThat(m.path("next_run_at").isNull()).isTrue();
    assertThat(m.path("policy").isNull()).isTrue();
    assertThat(m.path("remove_excluded").asBoolean()).isFalse();
    assertThat(m.path("remove_deleted").asBoolean()).isFalse();
    assertThat(patch("patched", "{\"remove_excluded\":true}", 400).path("error").asText()).isEqualTo("no_policy");
    assertThat(last(Jobs.awaitAccepted(server, post("/api/mirrors/patched/run"))).path("files").asLong())
        .as("without the policy, the rest is taken").isEqualTo(PACKAGES.size() - 2);
  }

  private static JsonNode patch(String mirror, String body, int status) {
    HttpResponse<byte[]> r = server.send(server.admin("/api/mirrors/" + mirror).header("Content-Type",
        "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(body)));
    assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(status);
    return TestServer.json(r);
  }

  @Test
  void aScheduleThatIsNotAPeriodOrTooShortIsRefused() {
    server.createChannel("every", "public");
    for (String every : List.of("often", "30s", "0m")) {
      HttpResponse<byte[]> r = server.send(server.admin("/api/mirrors").header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bad-every\",\"channel\":\"every\",\"mode\":"
              + "\"passive\",\"upstream\":\"https://example.org/conda/x\",\"every\":\"" + every + "\"}")));
      assertThat(r.statusCode()).as(every).isEqualTo(400);
      assertThat(TestServer.json(r).path("error").asText()).isEqualTo("invalid_every");
    }
  }
}
