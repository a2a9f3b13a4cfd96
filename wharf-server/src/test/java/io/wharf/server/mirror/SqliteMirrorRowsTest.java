package io.wharf.server.mirror;

import io.wharf.server.db.Database;
import io.wharf.server.testing.TestDatabases;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.io.TempDir;

class SqliteMirrorRowsTest extends MirrorRowsContract {
  @TempDir
  static Path dir;

  @Override
  protected Supplier<Database> database() {
    return TestDatabases.sqlite(dir);
  }
}
