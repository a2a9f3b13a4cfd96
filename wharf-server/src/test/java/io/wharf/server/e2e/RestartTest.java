package io.wharf.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node starts again on its own data directory, whatever its last run published. */
class RestartTest {
  @TempDir Path data;

  @Test
  void aNodeThatPublishedShardsStartsAgainOnTheSameDataDirectory() throws Exception {
    Path zlib = Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.conda");
    try (TestServer server = TestServer.start(data)) {
      assertThat(server.createChannel("r", "public").statusCode()).isEqualTo(201);
      assertThat(server.upload("r", zlib).statusCode()).isEqualTo(201);
      // publishing the subdir writes its shards below <data>/published/shards/<n>/; the channel's creation,
      // read back from the change log a moment later, may make the node drop and rebuild them once
      // (the change log is read every 250 ms: two seconds let that happen first)
      long settled = System.nanoTime() + java.time.Duration.ofSeconds(2).toNanos();
      long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
      do {
        assertThat(server.get("/conda/r/linux-64/repodata_shards.msgpack.zst").statusCode()).isEqualTo(200);
        Thread.sleep(100);
      } while ((System.nanoTime() < settled || shardFiles() == 0) && System.nanoTime() < deadline);
    }
    assertThat(shardFiles()).as("what the last run left").isPositive();
    try (TestServer again = TestServer.start(data)) {
      JsonNode repodata = again.getJson("/conda/r/linux-64/repodata.json");
      assertThat(repodata.path("packages.conda").has("zlib-1.2.11-h7b6447c_3.conda")).isTrue();
      assertThat(again.get("/conda/r/linux-64/repodata_shards.msgpack.zst").statusCode()).isEqualTo(200);
    }
  }

  private long shardFiles() throws java.io.IOException {
    Path root = data.resolve("published").resolve("shards");
    if (!Files.exists(root)) {
      return 0;
    }
    try (var shards = Files.walk(root)) {
      return shards.filter(Files::isRegularFile).count();
    }
  }
}
