package io.wharf.server.pkg;

import io.wharf.server.db.Database;
import io.wharf.server.testing.TestDatabases;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.io.TempDir;

class SqlitePackageTransfersTest extends PackageTransfersContract {
  @TempDir
  static Path dir;

  @Override
  protected Supplier<Database> database() {
    return TestDatabases.sqlite(dir);
  }

  @Override
  protected void failInsertsOf(Database db, String filename) {
    db.jdbi().useHandle(h -> h.execute("CREATE TRIGGER fail_insert BEFORE INSERT ON package_files"
        + " WHEN NEW.filename = '" + filename + "' BEGIN SELECT RAISE(ABORT, 'injected failure'); END"));
  }

  @Override
  protected void stopFailingInserts(Database db) {
    db.jdbi().useHandle(h -> h.execute("DROP TRIGGER fail_insert"));
  }
}
