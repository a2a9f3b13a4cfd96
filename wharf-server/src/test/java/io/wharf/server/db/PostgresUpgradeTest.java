package io.wharf.server.db;

import io.wharf.server.testing.PostgresFixture;
import io.wharf.server.testing.TestServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link UpgradeTest} on PostgreSQL: for each earlier schema version, a database created at that version
 * (the PostgreSQL migrations up to it) holding the rows that version wrote, and the blobs on local disk;
 * the current server migrates it at start and serves what was stored as before.
 */
class PostgresUpgradeTest {
  @TempDir Path data;

  /** Every schema version the PostgreSQL migrations know, the newest included. */
  static Stream<String> versions() {
    PostgresFixture.PgDatabase db = PostgresFixture.shared().newDatabase();
    return UpgradeTest.versionsOf(Dialect.POSTGRESQL, db.jdbcUrl(), db.user(), db.password());
  }

  @ParameterizedTest(name = "schema version {0}")
  @MethodSource("versions")
  void theCurrentServerServesAPostgresDatabaseOfThisVersionAsBefore(String version) throws Exception {
    PostgresFixture.PgDatabase db = PostgresFixture.shared().newDatabase();
    Jdbi jdbi = UpgradeTest.migratedAndSeeded(Dialect.POSTGRESQL, db.jdbcUrl(), db.user(), db.password(),
        Integer.parseInt(version));
    sequencesPastSeededRows(jdbi);
    UpgradeTest.copyBlobs(jdbi, data);
    try (TestServer server = TestServer.start(data, Map.of("db.url", db.jdbcUrl(), "db.user", db.user(),
        "db.password", db.password()))) {
      UpgradeTest.servesAsBefore(server);
      UpgradeTest.keepsPassiveFilesPassive(server, Integer.parseInt(version));
    }
  }

  /**
   * The seeds give their rows explicit ids, as the dump they come from had them; on PostgreSQL a serial or
   * identity column's sequence does not see such rows, so it is set past them, as it was in the database
   * the rows were dumped from (SQLite takes the next id from the table itself).
   */
  private static void sequencesPastSeededRows(Jdbi jdbi) {
    jdbi.useHandle(h -> {
      List<Map<String, Object>> columns = h.createQuery("""
          SELECT table_name, column_name, pg_get_serial_sequence(quote_ident(table_name), column_name) AS seq
          FROM information_schema.columns
          WHERE table_schema = current_schema() AND (column_default LIKE 'nextval(%' OR is_identity = 'YES')
          """).mapToMap().list();
      for (Map<String, Object> c : columns) {
        if (c.get("seq") == null) {
          continue;
        }
        String table = (String) c.get("table_name");
        String column = (String) c.get("column_name");
        h.createQuery("SELECT setval(:seq, COALESCE((SELECT max(" + column + ") FROM " + table + "), 1),"
            + " (SELECT count(*) > 0 FROM " + table + "))").bind("seq", c.get("seq")).mapTo(Long.class).one();
      }
    });
  }
}
