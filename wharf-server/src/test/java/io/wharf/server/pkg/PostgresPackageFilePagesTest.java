package io.wharf.server.pkg;

import io.wharf.server.db.Database;
import io.wharf.server.testing.TestDatabases;
import java.util.function.Supplier;

class PostgresPackageFilePagesTest extends PackageFilePagesContract {
  @Override
  protected Supplier<Database> database() {
    return TestDatabases.postgres();
  }
}
