package io.wharf.server.mirror;

import io.wharf.server.db.Database;
import io.wharf.server.testing.TestDatabases;
import java.util.function.Supplier;

class PostgresMirrorRowsTest extends MirrorRowsContract {
  @Override
  protected Supplier<Database> database() {
    return TestDatabases.postgres();
  }
}
