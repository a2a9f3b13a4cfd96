package io.wharf.server.jobs;

import io.wharf.server.db.Database;
import io.wharf.server.testing.TestDatabases;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.io.TempDir;

class SqliteJobRunnerTest extends JobRunnerContract {
  @TempDir Path dir;

  @Override
  protected Supplier<Database> database() {
    return TestDatabases.sqlite(dir);
  }
}
