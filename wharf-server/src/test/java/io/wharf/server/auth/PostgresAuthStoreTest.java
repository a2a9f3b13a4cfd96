package io.wharf.server.auth;

import io.wharf.server.db.Database;
import io.wharf.server.testing.TestDatabases;
import java.util.function.Supplier;

class PostgresAuthStoreTest extends AuthStoreContract {
  @Override
  protected Supplier<Database> database() {
    return TestDatabases.postgres();
  }
}
