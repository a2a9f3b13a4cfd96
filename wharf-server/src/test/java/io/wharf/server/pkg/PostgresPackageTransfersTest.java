package io.wharf.server.pkg;

import io.wharf.server.db.Database;
import io.wharf.server.testing.TestDatabases;
import java.util.function.Supplier;

class PostgresPackageTransfersTest extends PackageTransfersContract {
  @Override
  protected Supplier<Database> database() {
    return TestDatabases.postgres();
  }

  @Override
  protected void failInsertsOf(Database db, String filename) {
    db.jdbi().useHandle(h -> {
      h.execute("CREATE FUNCTION fail_insert() RETURNS trigger AS $$ BEGIN"
          + " IF NEW.filename = '" + filename + "' THEN RAISE EXCEPTION 'injected failure'; END IF;"
          + " RETURN NEW; END $$ LANGUAGE plpgsql");
      h.execute("CREATE TRIGGER fail_insert BEFORE INSERT ON package_files FOR EACH ROW EXECUTE FUNCTION fail_insert()");
    });
  }

  @Override
  protected void stopFailingInserts(Database db) {
    db.jdbi().useHandle(h -> {
      h.execute("DROP TRIGGER fail_insert ON package_files");
      h.execute("DROP FUNCTION fail_insert()");
    });
  }
}
