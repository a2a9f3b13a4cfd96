package io.wharf.server.testing;

import io.wharf.server.db.Database;
import java.nio.file.Path;
import java.util.function.Supplier;

/** Where contract suites get their database: each supplier reopens the same database on every call. */
public final class TestDatabases {
  private TestDatabases() {}

  public static Supplier<Database> sqlite(Path directory) {
    Path file = directory.resolve("wharf.db");
    return () -> Database.openSqlite(file);
  }

  public static Supplier<Database> postgres() {
    PostgresFixture.PgDatabase pg = PostgresFixture.shared().newDatabase();
    return () -> Database.open(pg.jdbcUrl(), pg.user(), pg.password());
  }
}
