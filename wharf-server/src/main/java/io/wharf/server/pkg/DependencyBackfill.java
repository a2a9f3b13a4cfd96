package io.wharf.server.pkg;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * Migration 4.1: fills package_dependencies (created empty by V4) for files stored before it
 * existed. From then on every insert writes its own rows. Java, because the dependency name comes
 * from MatchSpec parsing that SQL cannot do.
 */
public final class DependencyBackfill implements JavaMigration {
  private static final int FETCH_SIZE = 500;
  private static final int BATCH_SIZE = 1000;

  @Override
  public MigrationVersion getVersion() {
    return MigrationVersion.fromVersion("4.1");
  }

  @Override
  public String getDescription() {
    return "backfill package dependencies";
  }

  @Override
  public Integer getChecksum() {
    return null;
  }

  @Override
  public boolean canExecuteInTransaction() {
    return true;
  }

  @Override
  public void migrate(Context context) throws SQLException {
    Connection connection = context.getConnection();
    try (Statement select = connection.createStatement();
        PreparedStatement insert = connection.prepareStatement("INSERT INTO package_dependencies"
            + " (file_id, channel_id, kind, dep_name, spec, position) VALUES (?, ?, ?, ?, ?, ?)")) {
      // Streams the rows on PostgreSQL (inside the migration's transaction) instead of loading all.
      select.setFetchSize(FETCH_SIZE);
      try (ResultSet files = select.executeQuery("SELECT id, channel_id, record_json FROM package_files")) {
        int pending = 0;
        while (files.next()) {
          for (DependencyRows.Row row : DependencyRows.of(files.getString("record_json"))) {
            insert.setLong(1, files.getLong("id"));
            insert.setLong(2, files.getLong("channel_id"));
            insert.setString(3, row.kind());
            insert.setString(4, row.depName());
            insert.setString(5, row.spec());
            insert.setInt(6, row.position());
            insert.addBatch();
            pending++;
          }
          if (pending >= BATCH_SIZE) {
            insert.executeBatch();
            pending = 0;
          }
        }
        if (pending > 0) {
          insert.executeBatch();
        }
      }
    }
  }
}
