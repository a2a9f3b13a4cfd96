package io.wharf.server.jobs;

import io.wharf.server.db.Database;
import io.wharf.server.testing.TestDatabases;
import java.util.function.Supplier;

class PostgresJobRunnerTest extends JobRunnerContract {
  @Override
  protected Supplier<Database> database() {
    return TestDatabases.postgres();
  }
}
