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
      // publishing the subdir writes its shards below <data>/published/shards/<n>/
      assertThat(server.get("/conda/r/linux-64/repodata_shards.msgpack.zst").statusCode()).isEqualTo(200);
    }
    try (var shards = Files.walk(data.resolve("published").resolve("shards"))) {
      assertThat(shards.filter(Files::isRegularFile)).as("what the last run left").isNotEmpty();
    }
    try (TestServer again = TestServer.start(data)) {
      JsonNode repodata = again.getJson("/conda/r/linux-64/repodata.json");
      assertThat(repodata.path("packages.conda").has("zlib-1.2.11-h7b6447c_3.conda")).isTrue();
      assertThat(again.get("/conda/r/linux-64/repodata_shards.msgpack.zst").statusCode()).isEqualTo(200);
    }
  }
}
