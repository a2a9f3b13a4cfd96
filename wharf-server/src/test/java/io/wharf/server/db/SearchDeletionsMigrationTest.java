package io.wharf.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.search.SearchDocument;
import io.wharf.server.search.SearchHit;
import io.wharf.server.search.SearchQuery;
import io.wharf.server.search.jdbc.JdbcSearchRepository;
import io.wharf.server.testing.PostgresFixture;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migration V23 adds the table behind misspelt-prefix search; the names indexed before it must get the
 * same rows the application writes for a new name, on both engines.
 */
class SearchDeletionsMigrationTest {
  private static final List<String> NAMES = List.of("xtensor-io", "ñúmpy-😀", "a", "x".repeat(70));

  @TempDir
  Path dir;

  @Test
  void sqliteIndexesNamesStoredBeforeTheMigration() {
    String url = "jdbc:sqlite:" + dir.resolve("wharf.db");
    migrateTo6(Dialect.SQLITE, url, null, null);
    try (Database db = Database.open(url, null, null)) {
      assertRowsMatchTheApplication(db);
    }
  }

  @Test
  void postgresIndexesNamesStoredBeforeTheMigration() {
    PostgresFixture.PgDatabase pg = PostgresFixture.shared().newDatabase();
    migrateTo6(Dialect.POSTGRESQL, pg.jdbcUrl(), pg.user(), pg.password());
    try (Database db = Database.open(pg.jdbcUrl(), pg.user(), pg.password())) {
      assertRowsMatchTheApplication(db);
    }
  }

  /** The schema as it was before V23, with a channel of indexed names written then. */
  private static void migrateTo6(Dialect dialect, String url, String user, String password) {
    Flyway flyway = Flyway.configure().dataSource(url, user, password).locations(dialect.migrationLocations())
        .target("6").load();
    flyway.migrate();
    Jdbi jdbi = user == null ? Jdbi.create(url) : Jdbi.create(url, user, password);
    jdbi.useHandle(h -> {
      h.execute("INSERT INTO channels (name, description, privacy, created_at) VALUES ('old', '', 'PUBLIC', 0)");
      for (String name : NAMES) {
        h.createUpdate("INSERT INTO package_search (channel_id, name, name_key, latest_version, subdirs,"
                + " license_families, file_count, updated_at) SELECT id, :name, :name, '1.0', ',noarch,', '', 1, 0"
                + " FROM channels WHERE name = 'old'")
            .bind("name", name)
            .execute();
      }
    });
  }

  private static void assertRowsMatchTheApplication(Database db) {
    long oldChannel = channelId(db, "old");
    db.jdbi().useHandle(h -> h.execute("INSERT INTO channels (name, description, privacy, created_at)"
        + " VALUES ('new', '', 'PUBLIC', 0)"));
    long newChannel = channelId(db, "new");
    JdbcSearchRepository search = new JdbcSearchRepository(db);
    for (String name : NAMES) {
      search.upsert(new SearchDocument(newChannel, name, "1.0", null, null, List.of("noarch"), List.of(), 1,
          Instant.EPOCH));
    }

    for (String name : NAMES) {
      assertThat(rows(db, oldChannel, name)).as(name).isNotEmpty().isEqualTo(rows(db, newChannel, name));
    }
    assertThat(rows(db, oldChannel, "x".repeat(70))).hasSize(64);
    // Found only through the new table: "xtnsor" lacks the "e" of the name's start.
    assertThat(search.search(new SearchQuery("xtnsor", Set.of(oldChannel), Optional.empty(), Optional.empty(), 1,
        10)).hits()).extracting(SearchHit::name).containsExactly("xtensor-io");
  }

  private static long channelId(Database db, String name) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT id FROM channels WHERE name = :name")
        .bind("name", name).mapTo(Long.class).one());
  }

  private static List<String> rows(Database db, long channelId, String name) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT d.char_index, d.variant, d.deleted_char"
            + " FROM package_search_deletions d JOIN package_search s ON s.id = d.search_id"
            + " WHERE s.channel_id = :channelId AND s.name = :name ORDER BY d.char_index")
        .bind("channelId", channelId)
        .bind("name", name)
        .map((rs, ctx) -> rs.getInt(1) + " " + rs.getString(2) + " " + rs.getString(3))
        .list());
  }
}
