package io.wharf.server.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.server.channel.Channel;
import io.wharf.server.channel.JdbcChannelRepository;
import io.wharf.server.channel.Privacy;
import java.util.List;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Opening, migrating and probing a database, run once per engine. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DatabaseContract {
  private Supplier<Database> target;

  /** A supplier that opens the same, initially empty database on every call. */
  protected abstract Supplier<Database> database();

  protected abstract Dialect expectedDialect();

  /** The engine's setting that decides whether a commit waits for the disk, as a handle reads it. */
  protected abstract String commitSetting(Handle h);

  /** {@link #commitSetting} as it reads by default, and inside {@link Dialect#inUnforcedTransaction}. */
  protected abstract List<String> forcedThenUnforced();

  @BeforeAll
  void chooseTarget() {
    target = database();
  }

  @Test
  void reopeningAppliesNoMigrationTwiceAndKeepsData() {
    Channel created;
    List<String> firstHistory;
    try (Database db = target.get()) {
      created = new JdbcChannelRepository(db).create("survivor", "kept across restarts", Privacy.PUBLIC);
      firstHistory = history(db);
    }

    try (Database db = target.get()) {
      assertThat(history(db)).isEqualTo(firstHistory);
      assertThat(new JdbcChannelRepository(db).findByName("survivor")).contains(created);
    }
    assertThat(firstHistory).containsExactly("1 true", "2 true", "3 true", "4 true", "5 true", "6 true", "7 true",
        "8 true", "23 true", "24 true", "25 true", "26 true", "27 true", "28 true", "29 true", "30 true",
        "31 true", "32 true", "33 true", "34 true", "35 true", "36 true", "37 true", "38 true", "39 true", "40 true",
        "41 true", "42 true");
  }

  @Test
  void settingsTableStoresValuesByName() {
    try (Database db = target.get()) {
      db.jdbi().useHandle(h -> h.execute("INSERT INTO settings (name, value) VALUES ('greeting', 'hello')"));

      String value = db.jdbi().withHandle(h -> h.createQuery("SELECT value FROM settings WHERE name = 'greeting'")
          .mapTo(String.class).one());
      assertThat(value).isEqualTo("hello");
      assertThatThrownBy(() -> db.jdbi().useHandle(h ->
          h.execute("INSERT INTO settings (name, value) VALUES ('greeting', 'again')")))
          .satisfies(e -> assertThat(DuplicateKeyException.isUniqueViolation(e)).isTrue());
    }
  }

  @Test
  void anUnforcedTransactionCommitsWithoutWaitingForTheDiskAndLeavesTheConnectionAsItWas() {
    try (Database db = target.get()) {
      db.jdbi().useHandle(h -> h.execute("DELETE FROM settings WHERE name LIKE 'unforced-%'"));
      String inside = db.dialect().inUnforcedTransaction(db.jdbi(), h -> {
        h.execute("INSERT INTO settings (name, value) VALUES ('unforced-1', 'kept')");
        return commitSetting(h);
      });

      assertThat(List.of(db.jdbi().withHandle(this::commitSetting), inside)).isEqualTo(forcedThenUnforced());
      String kept = db.jdbi().withHandle(h -> h.createQuery("SELECT value FROM settings WHERE name = 'unforced-1'")
          .mapTo(String.class).one());
      assertThat(kept).isEqualTo("kept");
      // a failing one commits nothing and also gives the connection back as it was
      assertThatThrownBy(() -> db.dialect().inUnforcedTransaction(db.jdbi(), h -> {
        h.execute("INSERT INTO settings (name, value) VALUES ('unforced-2', 'lost')");
        throw new IllegalStateException("refused");
      })).hasMessage("refused");
      int lost = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM settings WHERE name = 'unforced-2'")
          .mapTo(Integer.class).one());
      assertThat(lost).isZero();
      assertThat(db.jdbi().withHandle(this::commitSetting)).isEqualTo(forcedThenUnforced().get(0));
    }
  }

  @Test
  void reportsItsDialect() {
    try (Database db = target.get()) {
      assertThat(db.dialect()).isEqualTo(expectedDialect());
    }
  }

  @Test
  void readinessCheckPassesWhileOpenAndFailsOnceClosed() {
    Database db = target.get();
    db.check();

    db.close();

    assertThatThrownBy(db::check).isInstanceOf(RuntimeException.class);
  }

  private static List<String> history(Database db) {
    return db.jdbi().withHandle(h -> h.createQuery(
            "SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank")
        .map((rs, ctx) -> rs.getString("version") + " " + rs.getBoolean("success"))
        .list());
  }
}
