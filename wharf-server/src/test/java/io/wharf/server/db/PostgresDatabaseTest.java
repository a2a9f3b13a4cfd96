package io.wharf.server.db;

import io.wharf.server.testing.TestDatabases;
import java.util.function.Supplier;

class PostgresDatabaseTest extends DatabaseContract {
  @Override
  protected Supplier<Database> database() {
    return TestDatabases.postgres();
  }

  @Override
  protected Dialect expectedDialect() {
    return Dialect.POSTGRESQL;
  }
}
