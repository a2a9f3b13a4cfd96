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

  @Override
  protected String commitSetting(Handle h) {
    return h.createQuery("PRAGMA synchronous").mapTo(String.class).one();
  }

  @Override
  protected List<String> forcedThenUnforced() {
    return List.of("2", "1"); // FULL, NORMAL
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
          assertThat(h.createQuery("PRAGMA wal_autocheckpoint").mapTo(Integer.class).one())
              .isEqualTo(SqliteCheckpointer.BACKSTOP_PAGES);
        }
      }));
    }
  }

  @Test
  void theLogIsCopiedIntoTheDatabaseFileInTheBackgroundSoonAfterALargeCommit() throws Exception {
    Path file = dir.resolve("checkpoint.db");
    try (Database db = Database.openSqlite(file)) {
      db.jdbi().useHandle(h -> h.execute("CREATE TABLE filler (body TEXT NOT NULL)"));
      long before = Files.size(file);
      // about 2,000 pages of 4 KiB in one commit: past SQLite's default threshold, below the backstop
      db.jdbi().useTransaction(h -> {
        for (int i = 0; i < 2_000; i++) {
          h.execute("INSERT INTO filler (body) VALUES (?)", "x".repeat(4_000) + i);
        }
      });
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
      while (Files.size(file) < before + 2_000L * 4_000 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(Files.size(file)).isGreaterThanOrEqualTo(before + 2_000L * 4_000);
      int rows = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM filler").mapTo(Integer.class).one());
      assertThat(rows).isEqualTo(2_000);
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
