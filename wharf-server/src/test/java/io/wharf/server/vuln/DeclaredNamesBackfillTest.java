package io.wharf.server.vuln;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.db.Database;
import io.wharf.server.testing.CphPackages;
import io.wharf.server.testing.CveChannels;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database upgraded from a version that did not keep declared PyPI names holds files nobody examined for them;
 * the start-up backfill examines them and links them to the advisories their declared names reach. The upgraded
 * state is made from a current one by removing what the examination and matching wrote and putting the
 * backfill's cursor back where the migration leaves it. Packages built with cph; the advisory is the real
 * PYSEC-2021-403 (tensorflow 2.6.0 up to 2.6.1).
 */
class DeclaredNamesBackfillTest {
  private static final String SITE = "lib/python3.9/site-packages/";
  private static final String FILE = "/api/channels/ml/files/linux-64/tensorflow-base-2.6.0-declared_0.tar.bz2/cves";

  @TempDir Path data;
  @TempDir Path work;

  @Test
  void filesStoredBeforeDeclaredNamesWereKeptAreExaminedAndMatchedAtStart() throws Exception {
    CphPackages.assumeAvailable();
    Path declared = CphPackages.build(work, "tensorflow-base", "2.6.0", "declared_0", 0, "linux-64", List.of(),
        "tar.bz2", Map.of(SITE + "tensorflow-2.6.0.dist-info/METADATA",
            "Metadata-Version: 2.1\nName: tensorflow\nVersion: 2.6.0\n".getBytes(StandardCharsets.UTF_8)));
    Path plain = CphPackages.build(work, "tensorflow-base", "2.6.0", "plain_0", 0, "linux-64", List.of(),
        "tar.bz2", Map.of());
    try (TestServer server = TestServer.start(data)) {
      server.createChannel("ml", "public");
      assertThat(server.upload("ml", declared).statusCode()).isEqualTo(201);
      assertThat(server.upload("ml", plain).statusCode()).isEqualTo(201);
      CveChannels.importRecords(server, Fixtures.root().resolve("vuln/osv-json/tensorflow/PYSEC-2021-403.json"));
      assertThat(cves(server)).containsExactly("CVE-2021-41211");
    }
    try (Database db = Database.openSqlite(data.resolve("wharf.db"))) {
      assertThat(backfillRows(db)).as("a fresh database has nothing to backfill once started").isZero();
      db.jdbi().useHandle(h -> {
        h.execute("DELETE FROM package_pypi_names");
        h.execute("DELETE FROM cve_matches");
        h.execute("INSERT INTO declared_names_backfill (id, after_file_id, until_file_id)"
            + " SELECT 1, 0, MAX(id) FROM package_files");
      });
    }

    try (TestServer server = TestServer.start(data)) {
      long deadline = System.nanoTime() + 20_000_000_000L;
      List<String> linked = cves(server);
      while (linked.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(100);
        linked = cves(server);
      }
      assertThat(linked).containsExactly("CVE-2021-41211");
      assertThat(server.getJson(FILE.replace("declared_0", "plain_0")).path("cves").findValuesAsText("id")).isEmpty();
    }
    try (Database db = Database.openSqlite(data.resolve("wharf.db"))) {
      assertThat(backfillRows(db)).as("the finished backfill leaves nothing for the next start").isZero();
      List<String> names = db.jdbi().withHandle(h -> h.createQuery("SELECT pypi_name FROM package_pypi_names")
          .mapTo(String.class).list());
      assertThat(names).containsExactly("tensorflow");
    }
  }

  private static List<String> cves(TestServer server) {
    return server.getJson(FILE).path("cves").findValuesAsText("id");
  }

  private static int backfillRows(Database db) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM declared_names_backfill")
        .mapTo(Integer.class).one());
  }
}
