package io.wharf.server.backup;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;

/**
 * A copy of a SQLite database taken with {@code VACUUM INTO} while other connections keep writing
 * (https://sqlite.org/lang_vacuum.html#vacuuminto: the copy is a transactionally consistent snapshot),
 * and the reads a backup makes of that copy.
 */
final class JdbcSnapshot implements AutoCloseable {
  /** One distinct blob the snapshot's rows refer to, with the size and SHA-256 they record. */
  record Blob(String key, long size, String sha256) {}

  /** A blob reader that may fail with I/O. */
  interface BlobSink {
    void accept(Blob blob) throws IOException;
  }

  private final Connection connection;
  private final Instant takenAfter;

  private JdbcSnapshot(Connection connection, Instant takenAfter) {
    this.connection = connection;
    this.takenAfter = takenAfter;
  }

  /** Copies {@code dbFile} into {@code snapshot} and opens the copy. */
  static JdbcSnapshot take(Path dbFile, Path snapshot) throws IOException {
    Instant before;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dbFile.toAbsolutePath());
         Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout = 30000");
      before = Instant.now();
      s.execute("VACUUM INTO '" + snapshot.toAbsolutePath().toString().replace("'", "''") + "'");
    } catch (SQLException e) {
      throw new IOException("snapshot of " + dbFile + " failed: " + e.getMessage(), e);
    }
    try {
      return new JdbcSnapshot(DriverManager.getConnection("jdbc:sqlite:" + snapshot.toAbsolutePath()), before);
    } catch (SQLException e) {
      throw new IOException("cannot open the snapshot " + snapshot + ": " + e.getMessage(), e);
    }
  }

  /** A moment just before the snapshot's read began: every commit before it is in the snapshot. */
  Instant takenAfter() {
    return takenAfter;
  }

  Optional<String> databaseId() throws IOException {
    try (Statement s = connection.createStatement();
         ResultSet rs = s.executeQuery("SELECT value FROM settings WHERE name = 'database.id'")) {
      return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  /** How many distinct blobs the rows refer to, and their bytes together. */
  long[] blobTotals() throws IOException {
    try (Statement s = connection.createStatement();
         ResultSet rs = s.executeQuery("SELECT count(*), coalesce(sum(size), 0) FROM"
             + " (SELECT blob_key, max(size) AS size FROM package_files GROUP BY blob_key)")) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2)};
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  /** Each distinct blob in key order, from a cursor that holds one row at a time. */
  void blobs(BlobSink sink) throws IOException {
    try (Statement s = connection.createStatement();
         ResultSet rs = s.executeQuery("SELECT blob_key, max(size), max(sha256) FROM package_files"
             + " GROUP BY blob_key ORDER BY blob_key")) {
      while (rs.next()) {
        sink.accept(new Blob(rs.getString(1), rs.getLong(2), rs.getString(3)));
      }
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  private static IOException failure(SQLException e) {
    return new IOException("reading the database snapshot: " + e.getMessage(), e);
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      // a read-only connection to a file about to be deleted: nothing to lose
    }
  }
}
