package io.wharf.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.PostgresFixture;
import io.wharf.server.testing.S3Fixture;
import io.wharf.server.testing.ServedRows;
import io.wharf.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A copy and a move made through one node reach another node sharing the database and the bucket through
 * the change log: it then serves both channels exactly as stored, with the same bytes as the first node.
 */
class TransferTwoNodesTest {
  private static final List<String> SUBDIRS = List.of("linux-64", "noarch");

  @TempDir Path data;

  @Test
  void anotherNodeServesTheResultOfCopiesAndMoves() throws Exception {
    PostgresFixture.PgDatabase pg = PostgresFixture.shared().newDatabase();
    try (S3Fixture s3 = S3Fixture.start()) {
      Map<String, String> settings = Map.of("db.url", pg.jdbcUrl(), "db.user", pg.user(),
          "db.password", pg.password(), "storage", s3.storageSpec("wharf"), "change.check.ms", "100");
      try (TestServer one = TestServer.start(data.resolve("one"), settings);
           TestServer two = TestServer.start(data.resolve("two"), settings)) {
        for (String c : List.of("nodes-src", "nodes-dst")) {
          assertThat(one.createChannel(c, "public").statusCode()).isEqualTo(201);
        }
        for (String f : List.of("zlib-1.2.11-h7b6447c_3.conda", "zlib-1.2.11-h7b6447c_3.tar.bz2",
            "xtensor-io-0.10.3-hb585cf6_0.tar.bz2")) {
          assertThat(one.upload("nodes-src", Fixtures.realPackage(f)).statusCode()).isEqualTo(201);
        }
        // node two publishes both channels before the transfers, so it must apply them as changes
        for (String c : List.of("nodes-src", "nodes-dst")) {
          assertThat(two.get("/conda/" + c + "/linux-64/repodata.json").statusCode()).isEqualTo(200);
        }

        assertThat(post(one, "/api/channels/nodes-src/copy", "{\"to\":\"nodes-dst\",\"items\":[\"zlib\"]}"))
            .isEqualTo(200);
        assertThat(post(one, "/api/channels/nodes-src/move", "{\"to\":\"nodes-dst\",\"items\":[\"xtensor-io\"]}"))
            .isEqualTo(200);

        for (String c : List.of("nodes-src", "nodes-dst")) {
          var stored = ServedRows.stored(one, c, "main");
          eventually(() -> ServedRows.served(two, c, "main", SUBDIRS).equals(stored), c + " on the other node");
          assertThat(ServedRows.served(one, c, "main", SUBDIRS)).isEqualTo(stored);
          String repodata = "/conda/" + c + "/linux-64/repodata.json";
          assertThat(two.get(repodata).body()).as("both nodes publish the same bytes").isEqualTo(one.get(repodata).body());
        }
        assertThat(ServedRows.stored(one, "nodes-src", "main").keySet())
            .containsExactlyInAnyOrder("linux-64/zlib-1.2.11-h7b6447c_3.conda", "linux-64/zlib-1.2.11-h7b6447c_3.tar.bz2");
        assertThat(ServedRows.stored(one, "nodes-dst", "main")).hasSize(3);
        assertThat(two.get("/conda/nodes-dst/linux-64/xtensor-io-0.10.3-hb585cf6_0.tar.bz2").statusCode())
            .isEqualTo(200);
      }
    }
  }

  private static int post(TestServer node, String path, String json) {
    return node.send(node.admin(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))).statusCode();
  }

  private static void eventually(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what + " within 30 s").isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
