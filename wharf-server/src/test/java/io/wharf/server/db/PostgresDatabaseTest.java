package io.wharf.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.testing.TestDatabases;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.postgresql.core.BaseConnection;

class PostgresDatabaseTest extends DatabaseContract {
  private final Supplier<Database> postgres = TestDatabases.postgres();

  @Override
  protected Supplier<Database> database() {
    return postgres;
  }

  @Override
  protected Dialect expectedDialect() {
    return Dialect.POSTGRESQL;
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
