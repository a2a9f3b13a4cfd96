package io.wharf.server.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.server.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteDatabaseTest extends DatabaseContract {
  @TempDir
  static Path dir;

  @Override
  protected Supplier<Database> database() {
    return TestDatabases.sqlite(dir);
  }

  @Override
  protected Dialect expectedDialect() {
    return Dialect.SQLITE;
  }

  @Test
  void everyPooledConnectionUsesWalForeignKeysBusyTimeoutAndALargePageCache() {
    try (Database db = Database.openSqlite(dir.resolve("pragmas.db"))) {
      // Several handles at once, so more than one pooled connection is checked.
      db.jdbi().useHandle(a -> db.jdbi().useHandle(b -> {
        for (Handle h : List.of(a, b)) {
          assertThat(h.createQuery("PRAGMA journal_mode").mapTo(String.class).one()).isEqualToIgnoringCase("wal");
          assertThat(h.createQuery("PRAGMA foreign_keys").mapTo(Integer.class).one()).isEqualTo(1);
          assertThat(h.createQuery("PRAGMA busy_timeout").mapTo(Integer.class).one())
              .isEqualTo(Database.SQLITE_BUSY_TIMEOUT_MS);
          assertThat(h.createQuery("PRAGMA cache_size").mapTo(Integer.class).one())
              .isEqualTo(-Database.SQLITE_CACHE_KIB);
        }
      }));
    }
  }

  @Test
  void createsMissingParentDirectories() {
    Path file = dir.resolve("nested/deeper/wharf.db");

    try (Database db = Database.openSqlite(file)) {
      db.check();
    }

    assertThat(Files.isRegularFile(file)).isTrue();
  }

  @Test
  void refusesInMemoryDatabasesThatEachPooledConnectionWouldSeeDifferently() {
    assertThatThrownBy(() -> Database.open("jdbc:sqlite::memory:", null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Database.open("jdbc:sqlite:", null, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesUrlsOfOtherEngines() {
    assertThatThrownBy(() -> Database.open("jdbc:mysql://localhost/wharf", "u", "p"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jdbc:mysql");
  }
}
