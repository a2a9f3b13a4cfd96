package io.wharf.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.channel.JdbcChannelRepository;
import io.wharf.server.channel.Privacy;
import io.wharf.server.testing.PostgresFixture;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migration V11 (channel history) was numbered below V23, which databases in use already have: Wharf must
 * still apply it to them when it starts, on both engines.
 */
class ChannelHistoryMigrationTest {
  @TempDir
  Path dir;

  @Test
  void sqliteDatabaseMigratedWithoutV11GetsItAtStart() throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("wharf.db");
    migrateWithoutV11(Dialect.SQLITE, url, null, null);
    try (Database db = Database.open(url, null, null)) {
      assertHistoryWorks(db);
    }
  }

  @Test
  void postgresDatabaseMigratedWithoutV11GetsItAtStart() throws Exception {
    PostgresFixture.PgDatabase pg = PostgresFixture.shared().newDatabase();
    migrateWithoutV11(Dialect.POSTGRESQL, pg.jdbcUrl(), pg.user(), pg.password());
    try (Database db = Database.open(pg.jdbcUrl(), pg.user(), pg.password())) {
      assertHistoryWorks(db);
    }
  }

  /** The schema of a Wharf released before V11 existed: every migration but V11, V23 included. */
  private void migrateWithoutV11(Dialect dialect, String url, String user, String password)
      throws IOException, URISyntaxException {
    String[] locations = dialect.migrationLocations();
    String[] copies = new String[locations.length];
    for (int i = 0; i < locations.length; i++) {
      String folder = locations[i].substring("classpath:".length());
      Path source = Path.of(getClass().getClassLoader().getResource(folder).toURI());
      Path target = Files.createDirectories(dir.resolve("migrations-" + i));
      try (Stream<Path> files = Files.list(source)) {
        for (Path f : files.filter(f -> !f.getFileName().toString().startsWith("V11__")).toList()) {
          Files.copy(f, target.resolve(f.getFileName()));
        }
      }
      copies[i] = "filesystem:" + target;
    }
    Flyway.configure().dataSource(url, user, password).locations(copies).load().migrate();
  }

  private static void assertHistoryWorks(Database db) {
    new JdbcChannelRepository(db).create("upgraded", "", Privacy.PUBLIC);
    long entries = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM channel_history")
        .mapTo(Long.class).one());
    assertThat(entries).isEqualTo(1);
  }
}
