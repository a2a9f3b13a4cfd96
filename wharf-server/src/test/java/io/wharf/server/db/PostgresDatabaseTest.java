package io.wharf.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.testing.TestDatabases;
import java.util.List;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.postgresql.core.BaseConnection;

class PostgresDatabaseTest extends DatabaseContract {
  private final Supplier<Database> postgres = withForcedCommits(TestDatabases.postgres());

  // The embedded test server turns synchronous_commit off for speed; this database gets PostgreSQL's own
  // default back, so that a transaction that turns it off can be told from one that does not.
  private static Supplier<Database> withForcedCommits(Supplier<Database> database) {
    try (Database db = database.get()) {
      db.jdbi().useHandle(h -> h.execute("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET synchronous_commit = on',"
          + " current_database()); END $$"));
    }
    return database;
  }

  @Override
  protected Supplier<Database> database() {
    return postgres;
  }

  @Override
  protected Dialect expectedDialect() {
    return Dialect.POSTGRESQL;
  }

  @Override
  protected String commitSetting(Handle h) {
    return h.createQuery("SHOW synchronous_commit").mapTo(String.class).one();
  }

  @Override
  protected List<String> forcedThenUnforced() {
    return List.of("on", "off");
  }

  @Test
  void pooledConnectionsSendBatchedInsertsAsMultiRowInserts() throws Exception {
    try (Database db = postgres.get()) {
      boolean rewrites = db.jdbi().withHandle(h ->
          h.getConnection().unwrap(BaseConnection.class).getQueryExecutor().isReWriteBatchedInsertsEnabled());
      assertThat(rewrites).isTrue();
    }
  }
}
