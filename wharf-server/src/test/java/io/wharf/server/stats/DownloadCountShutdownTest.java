package io.wharf.server.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.TestServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Counts still in memory are written when the server stops; with counting off nothing is written at all. */
class DownloadCountShutdownTest {
  static final String ZLIB = "zlib-1.2.11-h7b6447c_3.conda";

  @TempDir Path data;

  private long downloadsAfterRestart() {
    try (TestServer again = TestServer.start(data)) {
      return again.getJson("/api/channels/c/packages/zlib").get("downloads").asLong();
    }
  }

  private void downloadThreeTimes(Map<String, String> settings) {
    try (TestServer server = TestServer.start(data, settings)) {
      server.createChannel("c", "public");
      assertThat(server.upload("c", Fixtures.realPackage(ZLIB)).statusCode()).isEqualTo(201);
      for (int i = 0; i < 3; i++) {
        assertThat(server.get("/conda/c/linux-64/" + ZLIB).statusCode()).isEqualTo(200);
      }
      // the interval is a minute: only the shutdown can have written these
      assertThat(server.getJson("/api/channels/c/packages/zlib").get("downloads").asLong()).isZero();
    }
  }

  @Test
  void stoppingTheServerWritesTheCountsStillInMemory() {
    downloadThreeTimes(Map.of("stats.flush.ms", "60000"));

    assertThat(downloadsAfterRestart()).isEqualTo(3);
  }

  @Test
  void withCountingOffNoDownloadIsCounted() {
    downloadThreeTimes(Map.of("stats.downloads", "false", "stats.flush.ms", "60000"));

    assertThat(downloadsAfterRestart()).isZero();
  }
}
