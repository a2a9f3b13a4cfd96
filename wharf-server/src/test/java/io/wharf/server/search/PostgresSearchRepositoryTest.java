package io.wharf.server.search;

import io.wharf.server.db.Database;
import io.wharf.server.testing.TestDatabases;
import java.util.function.Supplier;

class PostgresSearchRepositoryTest extends SearchRepositoryContract {
  @Override
  protected Supplier<Database> database() {
    return TestDatabases.postgres();
  }
}
