package io.wharf.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.PostgresFixture;
import io.wharf.server.testing.S3Fixture;
import io.wharf.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Patch instructions set and removed through one node reach another node sharing the database through the
 * change log: it republishes the patched names (in repodata and channeldata) and serves the same bytes as the
 * first node.
 */
class PatchTwoNodesTest {
  private static final String TAR = "zlib-1.2.11-h7b6447c_3.tar.bz2";
  private static final String REPODATA = "/conda/nodes-patch/linux-64/repodata.json";
  private static final String CHANNELDATA = "/conda/nodes-patch/channeldata.json";

  @TempDir Path data;

  @Test
  void anotherNodeServesPatchedRecordsAndTheOriginalsAfterRemoval() throws Exception {
    PostgresFixture.PgDatabase pg = PostgresFixture.shared().newDatabase();
    try (S3Fixture s3 = S3Fixture.start()) {
      Map<String, String> settings = Map.of("db.url", pg.jdbcUrl(), "db.user", pg.user(),
          "db.password", pg.password(), "storage", s3.storageSpec("wharf"), "change.check.ms", "100");
      try (TestServer one = TestServer.start(data.resolve("one"), settings);
           TestServer two = TestServer.start(data.resolve("two"), settings)) {
        assertThat(one.createChannel("nodes-patch", "public").statusCode()).isEqualTo(201);
        for (String f : List.of(TAR, "zlib-1.2.11-h7b6447c_3.conda", "xtensor-io-0.10.3-hb585cf6_0.tar.bz2")) {
          assertThat(one.upload("nodes-patch", Fixtures.realPackage(f)).statusCode()).isEqualTo(201);
        }
        // node two publishes the subdir first, so it must apply the patches as a change
        eventually(() -> Arrays.equals(two.get(REPODATA).body(), one.get(REPODATA).body()), "the upload on node two");
        eventually(() -> Arrays.equals(two.get(CHANNELDATA).body(), one.get(CHANNELDATA).body()),
            "channeldata on node two");
        byte[] original = two.get(REPODATA).body();
        byte[] originalChanneldata = two.get(CHANNELDATA).body();

        assertThat(one.send(one.admin("/api/channels/nodes-patch/patches/linux-64")
            .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(
                "{\"packages\":{\"" + TAR + "\":{\"depends\":[\"libgcc-ng >=11\"],\"license\":\"Zlib\"}}}")))
            .statusCode()).isEqualTo(200);
        assertThat(new String(one.get(REPODATA).body())).contains("libgcc-ng >=11");
        eventually(() -> Arrays.equals(two.get(REPODATA).body(), one.get(REPODATA).body()), "the patch on node two");
        assertThat(TestServer.json(two.get(REPODATA)).get("packages.conda").get("zlib-1.2.11-h7b6447c_3.conda")
            .get("depends").toString()).isEqualTo("[\"libgcc-ng >=11\"]");
        eventually(() -> Arrays.equals(two.get(CHANNELDATA).body(), one.get(CHANNELDATA).body()),
            "the patch in channeldata on node two");
        assertThat(TestServer.json(two.get(CHANNELDATA)).get("packages").get("zlib").get("license").asText())
            .isEqualTo("Zlib");

        assertThat(one.send(one.admin("/api/channels/nodes-patch/patches/linux-64").DELETE()).statusCode())
            .isEqualTo(200);
        byte[] expected = original;
        eventually(() -> Arrays.equals(two.get(REPODATA).body(), expected), "the removal on node two");
        assertThat(one.get(REPODATA).body()).isEqualTo(expected);
        eventually(() -> Arrays.equals(two.get(CHANNELDATA).body(), originalChanneldata),
            "the removal in channeldata on node two");
        assertThat(one.get(CHANNELDATA).body()).isEqualTo(originalChanneldata);
      }
    }
  }

  private static void eventually(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what + " within 30 s").isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
