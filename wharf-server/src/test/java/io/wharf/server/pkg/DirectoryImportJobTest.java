package io.wharf.server.pkg;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.server.testing.ChannelDirs;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.ImportSlots;
import io.wharf.server.testing.TestServer;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/channels/{channel}/import/directory} with {@code "background": true}: the import runs as a
 * job that needs no client connected, is refused before it is queued on the same grounds as an answered import,
 * and runs once at a time per directory and channel location.
 */
class DirectoryImportJobTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long DEADLINE_NANOS = 60_000_000_000L;

  @TempDir static Path data;
  @TempDir static Path importable;
  static TestServer server;
  static Path channelDir;
  static List<String> entries;

  @BeforeAll
  static void start() throws IOException {
    server = TestServer.start(data, Map.of("import.directories", importable.toString()));
    channelDir = ChannelDirs.realAndGenerated(importable.resolve("channel"), Set.of("appdirs", "click"));
    entries = ChannelDirs.entries(channelDir);
    Files.copy(Fixtures.corruptPackage("bad_package.tar.bz2"), channelDir.resolve("linux-64/bad-1.0-0.tar.bz2"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<byte[]> background(String channel, Path dir) {
    return server.importDirectory(channel,
        "{\"directory\":" + JSON.valueToTree(dir.toString()) + ",\"background\":true}");
  }

  static JsonNode admin(String path) {
    HttpResponse<byte[]> res = server.send(server.admin(path));
    assertThat(res.statusCode()).as(new String(res.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    return TestServer.json(res);
  }

  static JsonNode job(long id) {
    return admin("/api/jobs/" + id);
  }

  static JsonNode finished(long id) throws InterruptedException {
    long end = System.nanoTime() + DEADLINE_NANOS;
    JsonNode j = job(id);
    while (!Set.of("succeeded", "failed").contains(j.path("state").asText()) && System.nanoTime() < end) {
      Thread.sleep(50);
      j = job(id);
    }
    return j;
  }

  static long directoryImports() {
    long n = 0;
    for (JsonNode j : admin("/api/jobs?limit=1000")) {
      n += j.path("kind").asText().equals(DirectoryImportJob.KIND) ? 1 : 0;
    }
    return n;
  }

  @Test
  void theAnswerIsAJobAtOnceAndTheJobImportsTheDirectoryWithNoClientConnected() throws InterruptedException {
    server.createChannel("job-imp", "public");
    HttpResponse<byte[]> res = background("job-imp", channelDir);
    assertThat(res.statusCode()).as(new String(res.body(), StandardCharsets.UTF_8)).isEqualTo(202);
    JsonNode queued = TestServer.json(res);
    long id = queued.path("id").asLong();
    assertThat(res.headers().firstValue("Location")).hasValue("/api/jobs/" + id);
    assertThat(queued.path("kind").asText()).isEqualTo("directory-import");

    JsonNode done = finished(id);
    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("succeeded");
    JsonNode r = done.path("result");
    assertThat(r.path("imported").asInt()).isEqualTo(entries.size());
    assertThat(r.path("skipped").asInt()).isZero();
    assertThat(r.path("refused").asInt()).isEqualTo(1);
    assertThat(r.path("refusals")).singleElement().satisfies(x -> {
      assertThat(x.path("path").asText()).isEqualTo("linux-64/bad-1.0-0.tar.bz2");
      assertThat(x.path("error").asText()).isEqualTo("not_a_conda_package");
    });
    assertThat(done.path("progress").path("files").asInt()).isEqualTo(entries.size() + 1);
    assertThat(done.path("progress").path("files_total").asInt()).isEqualTo(entries.size() + 1);
    // served by the time the job says it is done, as after an answered import
    assertThat(ChannelDirs.served(server, "job-imp", entries)).containsExactlyElementsOf(entries);

    JsonNode again = finished(TestServer.json(background("job-imp", channelDir)).path("id").asLong());
    assertThat(again.path("result").path("imported").asInt()).isZero();
    assertThat(again.path("result").path("skipped").asInt()).isEqualTo(entries.size());
  }

  @Test
  void whatAnAnsweredImportRefusesIsRefusedBeforeAJobIsQueued(@TempDir Path elsewhere) {
    server.createChannel("job-imp-refused", "public");
    long before = directoryImports();

    assertRefused(background("job-imp-refused", elsewhere), 403, "directory_not_allowed");
    assertRefused(background("job-imp-nowhere", channelDir), 404, "channel_not_found");
    assertRefused(server.importDirectory("job-imp-refused", "{\"directory\":" + JSON.valueToTree(channelDir.toString())
        + ",\"background\":\"yes\"}"), 400, "invalid_field");
    assertRefused(server.send(server.admin("/api/channels/job-imp-refused/import/directory?label=9-bad")
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
            "{\"directory\":" + JSON.valueToTree(channelDir.toString()) + ",\"background\":true}"))), 400,
        "invalid_label");

    assertThat(directoryImports()).isEqualTo(before);
  }

  @Test
  void aSecondImportOfTheSameDirectoryWhileOneIsQueuedOrRunningIsRefusedNamingIt() throws Exception {
    server.createChannel("job-imp-once", "public");
    server.createChannel("job-imp-held", "public");
    // both of the node's import slots held: the job waits for one
    try (ImportSlots held = ImportSlots.holdAll(server, "job-imp-held", importable)) {
      HttpResponse<byte[]> first = background("job-imp-once", channelDir);
      assertThat(first.statusCode()).isEqualTo(202);
      long id = TestServer.json(first).path("id").asLong();

      HttpResponse<byte[]> second = background("job-imp-once", channelDir);
      assertRefused(second, 409, "import_running");
      assertThat(TestServer.json(second).path("details").path("job_id").asLong()).isEqualTo(id);
      Thread.sleep(1_000);
      assertThat(job(id).path("state").asText()).isIn("queued", "running");
      assertThat(server.getJson("/api/channels/job-imp-once/files")).isEmpty();

      held.close();
      JsonNode done = finished(id);
      assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("succeeded");
      assertThat(done.path("result").path("imported").asInt()).isEqualTo(entries.size());
      // once it ended, the same import may be asked for again
      assertThat(background("job-imp-once", channelDir).statusCode()).isEqualTo(202);
    }
  }

  static void assertRefused(HttpResponse<byte[]> res, int status, String code) {
    assertThat(res.statusCode()).as(new String(res.body(), StandardCharsets.UTF_8)).isEqualTo(status);
    assertThat(TestServer.json(res).get("error").asText()).isEqualTo(code);
  }
}
