package io.wharf.server.db;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteDependencyBackfillTest extends DependencyBackfillContract {
  @TempDir
  Path dir;

  @Override
  protected String jdbcUrl() {
    return "jdbc:sqlite:" + dir.resolve("upgraded.db");
  }

  @Override
  protected String user() {
    return "";
  }

  @Override
  protected String password() {
    return "";
  }

  @Override
  protected Dialect dialect() {
    return Dialect.SQLITE;
  }
}
