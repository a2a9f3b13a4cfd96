package io.wharf.server.backup;

import io.wharf.server.check.CheckListener;
import io.wharf.server.storage.BlobStore;
import io.wharf.server.storage.BlobStores;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.channels.FileChannel;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
      try (JdbcSnapshot snapshot = JdbcSnapshot.take(dbFile, work.resolve("wharf.db"));
           BlobStore blobs = BlobStores.open(null, dataDir.resolve("blobs"))) {
        long[] totals = snapshot.blobTotals();
        BackupManifest manifest = new BackupManifest(BackupManifest.VERSION, Instant.now().toString(),
            snapshot.takenAfter().toString(), snapshot.databaseId().orElseThrow(
                () -> new IOException("the database has no identity (database.id): start the server on it once")),
            totals[0], totals[1]);
        try (OutputStream file = Files.newOutputStream(partial);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new BufferedOutputStream(file, 1 << 16))) {
          tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
          tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
          byte[] json = manifest.toJson();
          entry(tar, BackupManifest.ENTRY, json.length);
          tar.write(json);
          tar.closeArchiveEntry();
          Path db = work.resolve("wharf.db");
          entry(tar, "wharf.db", Files.size(db));
          Files.copy(db, tar);
          tar.closeArchiveEntry();
          progress.stage("blobs copied", totals[0]);
          snapshot.blobs(b -> {
            copyBlob(blobs, b.key(), b.size(), b.sha256(), tar);
            progress.advanced();
          });
          tar.finish();
        }
        try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.WRITE)) {
          ch.force(true);
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return manifest;
      }
    } finally {
      Files.deleteIfExists(partial);
      Files.deleteIfExists(work.resolve("wharf.db"));
      Files.deleteIfExists(work);
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
