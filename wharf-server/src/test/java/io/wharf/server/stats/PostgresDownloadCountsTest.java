package io.wharf.server.stats;

import io.wharf.server.db.Database;
import io.wharf.server.testing.TestDatabases;
import java.util.function.Supplier;

class PostgresDownloadCountsTest extends DownloadCountsContract {
  @Override
  protected Supplier<Database> database() {
    return TestDatabases.postgres();
  }
}
