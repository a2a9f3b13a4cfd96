package io.wharf.server.channel;

import io.wharf.server.db.Database;
import io.wharf.server.testing.TestDatabases;
import java.util.function.Supplier;

class PostgresChannelRepositoryTest extends ChannelRepositoryContract {
  @Override
  protected Supplier<Database> database() {
    return TestDatabases.postgres();
  }
}
