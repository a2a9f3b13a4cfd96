package io.wharf.server.backup;

import io.wharf.server.check.CheckListener;
import io.wharf.server.storage.BlobStore;
import io.wharf.server.storage.BlobStores;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A consistent backup of the embedded configuration (SQLite under the data directory, blobs in
 * {@code <data>/blobs}) while a server keeps serving and accepting uploads:
 * <ol>
 *   <li>{@code VACUUM INTO} copies the database as of the start of its read transaction (WAL readers
 *       never block writers, https://sqlite.org/lang_vacuum.html#vacuuminto);
 *   <li>then every blob the snapshot's rows refer to is copied. Blobs are named by their content and never
 *       rewritten, so a blob copied later holds the bytes the snapshot's row describes; a blob whose row
 *       was deleted after the snapshot stays in the store at least the sweeper's grace period (an hour)
 *       after the delete, which covers a copy that finishes within it. Each copy is checked against the
 *       row's size and SHA-256, so a backup that ran too long fails instead of being incomplete.
 * </ol>
 * The archive is one tar file: {@code manifest.json}, {@code wharf.db}, {@code blobs/<key>}...; it is
 * written beside the output under a temporary name and moved into place once complete.
 */
public final class Backup {
  private Backup() {}

  public static BackupManifest create(Path dataDir, Path output, CheckListener progress) throws IOException {
    Path dbFile = dataDir.resolve("wharf.db");
    if (!Files.isRegularFile(dbFile)) {
      throw new IOException("no Wharf database at " + dbFile);
    }
    Path target = output.toAbsolutePath();
    Path work = Files.createTempDirectory(target.getParent(), ".wharf-backup-");
    Path partial = target.resolveSibling(target.getFileName() + ".partial");
    try {
      Path snapshot = work.resolve("wharf.db");
      Instant snapshotAt = snapshot(dbFile, snapshot);
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + snapshot);
           BlobStore blobs = BlobStores.open(null, dataDir.resolve("blobs"))) {
        long[] totals = totals(c);
        BackupManifest manifest = new BackupManifest(BackupManifest.VERSION, Instant.now().toString(),
            snapshotAt.toString(), databaseId(c).orElseThrow(
                () -> new IOException("the database has no identity (database.id): start the server on it once")),
            totals[0], totals[1]);
        try (OutputStream file = Files.newOutputStream(partial);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new java.io.BufferedOutputStream(file, 1 << 16))) {
          tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
          tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
          byte[] json = manifest.toJson();
          entry(tar, BackupManifest.ENTRY, json.length);
          tar.write(json);
          tar.closeArchiveEntry();
          entry(tar, "wharf.db", Files.size(snapshot));
          Files.copy(snapshot, tar);
          tar.closeArchiveEntry();
          progress.stage("blobs copied", totals[0]);
          copyBlobs(c, blobs, tar, progress);
          tar.finish();
        }
        try (var ch = java.nio.channels.FileChannel.open(partial, java.nio.file.StandardOpenOption.WRITE)) {
          ch.force(true);
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return manifest;
      } catch (SQLException e) {
        throw new IOException("reading the database snapshot: " + e.getMessage(), e);
      }
    } finally {
      Files.deleteIfExists(partial);
      Files.deleteIfExists(work.resolve("wharf.db"));
      Files.deleteIfExists(work);
    }
  }

  /** Copies the database into {@code snapshot}; returns a moment before the snapshot's read began. */
  private static Instant snapshot(Path dbFile, Path snapshot) throws IOException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dbFile.toAbsolutePath());
         Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout = 30000");
      Instant before = Instant.now();
      s.execute("VACUUM INTO '" + snapshot.toString().replace("'", "''") + "'");
      return before;
    } catch (SQLException e) {
      throw new IOException("snapshot of " + dbFile + " failed: " + e.getMessage(), e);
    }
  }

  private static long[] totals(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT count(*), coalesce(sum(size), 0) FROM"
             + " (SELECT blob_key, max(size) AS size FROM package_files GROUP BY blob_key)")) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2)};
    }
  }

  static Optional<String> databaseId(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT value FROM settings WHERE name = 'database.id'")) {
      return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
    }
  }

  /** Streams the snapshot's distinct blobs (the cursor holds one row at a time) into the archive. */
  private static void copyBlobs(Connection c, BlobStore blobs, TarArchiveOutputStream tar, CheckListener progress)
      throws SQLException, IOException {
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT blob_key, max(size), max(sha256) FROM package_files"
             + " GROUP BY blob_key ORDER BY blob_key")) {
      while (rs.next()) {
        copyBlob(blobs, rs.getString(1), rs.getLong(2), rs.getString(3), tar);
        progress.advanced();
      }
    }
  }

  private static void copyBlob(BlobStore blobs, String key, long size, String sha256, TarArchiveOutputStream tar)
      throws IOException {
    Optional<Long> stored = blobs.size(key);
    if (stored.isEmpty()) {
      throw new IOException("blob " + key + " of the snapshot is not in the store (removed after the snapshot"
          + " and past the sweeper's grace period, or lost: run wharf check)");
    }
    if (stored.get() != size) {
      throw new IOException("blob " + key + " holds " + stored.get() + " bytes, its row records " + size
          + ": run wharf check");
    }
    entry(tar, "blobs/" + key, size);
    MessageDigest md = sha256();
    try (InputStream in = new DigestInputStream(blobs.open(key), md)) {
      in.transferTo(tar);
    }
    tar.closeArchiveEntry();
    String actual = HexFormat.of().formatHex(md.digest());
    if (!actual.equalsIgnoreCase(sha256)) {
      throw new IOException("blob " + key + " has SHA-256 " + actual + ", its row records " + sha256
          + ": run wharf check");
    }
  }

  private static void entry(TarArchiveOutputStream tar, String name, long size) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(size);
    e.setModTime(System.currentTimeMillis());
    tar.putArchiveEntry(e);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
