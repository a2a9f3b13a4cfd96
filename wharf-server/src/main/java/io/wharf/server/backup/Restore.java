package io.wharf.server.backup;

import io.wharf.server.catalog.FileFacts;
import io.wharf.server.channel.JdbcChannelRepository;
import io.wharf.server.check.CheckListener;
import io.wharf.server.db.Database;
import io.wharf.server.db.JdbcSettings;
import io.wharf.server.events.Events;
import io.wharf.server.pkg.JdbcPackageFileRepository;
import io.wharf.server.search.SearchIndexer;
import io.wharf.server.search.jdbc.JdbcSearchRepository;
import io.wharf.server.storage.BlobKeys;
import io.wharf.server.storage.BlobStore;
import io.wharf.server.storage.BlobStores;
import io.wharf.server.storage.StoreIdentity;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Restores a {@link Backup} archive into an empty data directory: the database snapshot as
 * {@code wharf.db}, each blob into {@code blobs/} (its bytes checked against the SHA-256 its key names),
 * and the store identity of the restored database, so that a server started on the directory accepts the
 * pair; search rows are brought in step with the files. Refuses a directory that holds anything; a restore that fails removes what it wrote.
 */
public final class Restore {
  private Restore() {}

  public static BackupManifest into(Path archive, Path dataDir, CheckListener progress) throws IOException {
    if (!Files.isRegularFile(archive)) {
      throw new IOException("no backup archive at " + archive);
    }
    if (Files.exists(dataDir)) {
      if (!Files.isDirectory(dataDir)) {
        throw new IOException("refusing to restore into " + dataDir + ": it is not a directory");
      }
      try (Stream<Path> entries = Files.list(dataDir)) {
        if (entries.findAny().isPresent()) {
          throw new IOException("refusing to restore into " + dataDir + ": it is not empty");
        }
      }
    }
    Files.createDirectories(dataDir);
    try {
      return restore(archive, dataDir, progress);
    } catch (IOException | RuntimeException e) {
      removeContents(dataDir);
      throw e;
    }
  }

  private static BackupManifest restore(Path archive, Path dataDir, CheckListener progress) throws IOException {
    Path tmp = Files.createDirectories(dataDir.resolve("tmp"));
    Path db = dataDir.resolve("wharf.db");
    BackupManifest manifest;
    long blobs = 0;
    try (InputStream file = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
         TarArchiveInputStream tar = new TarArchiveInputStream(file);
         BlobStore store = BlobStores.open(null, dataDir.resolve("blobs"))) {
      TarArchiveEntry first = tar.getNextEntry();
      if (first == null || !first.getName().equals(BackupManifest.ENTRY)) {
        throw new IOException("not a Wharf backup: " + archive + " does not begin with " + BackupManifest.ENTRY);
      }
      manifest = BackupManifest.parse(tar.readNBytes(1 << 20));
      progress.stage("blobs restored", manifest.blobs());
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        if (e.getName().equals("wharf.db") && e.isFile()) {
          Files.copy(tar, db);
        } else if (e.getName().startsWith("blobs/") && e.isFile()) {
          restoreBlob(tar, e, store, tmp);
          blobs++;
          progress.advanced();
        } else {
          throw new IOException("unexpected entry in the backup: " + e.getName());
        }
      }
      if (!Files.isRegularFile(db)) {
        throw new IOException("the backup holds no database (wharf.db): it is cut off or not a Wharf backup");
      }
      if (blobs != manifest.blobs()) {
        throw new IOException("the backup holds " + blobs + " blobs, its manifest lists " + manifest.blobs()
            + ": it is cut off");
      }
      tieStore(db, store, manifest, tmp);
    }
    Files.deleteIfExists(tmp);
    return manifest;
  }

  private static void restoreBlob(TarArchiveInputStream tar, TarArchiveEntry e, BlobStore store, Path tmp)
      throws IOException {
    String key = e.getName().substring("blobs/".length());
    if (!BlobKeys.isValid(key)) {
      throw new IOException("invalid blob name in the backup: " + e.getName());
    }
    Path part = Files.createTempFile(tmp, "blob-", ".part");
    try {
      MessageDigest md = Backup.sha256();
      try (InputStream in = new DigestInputStream(tar, md) {
        @Override
        public void close() {} // the tar stream stays open for the next entry
      }) {
        Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
      }
      // content-addressed keys end in the SHA-256 of their bytes: a damaged archive shows here
      String name = key.substring(key.lastIndexOf('/') + 1);
      String actual = HexFormat.of().formatHex(md.digest());
      if (key.startsWith("sha256/") && !name.equalsIgnoreCase(actual)) {
        throw new IOException("blob " + key + " in the backup has SHA-256 " + actual + ": the archive is damaged");
      }
      store.put(key, part);
    } finally {
      Files.deleteIfExists(part);
    }
  }

  /** Checks the database is the one the manifest names and writes that identity into the new store. */
  private static void tieStore(Path db, BlobStore store, BackupManifest manifest, Path tmp) throws IOException {
    try (Database database = Database.openSqlite(db)) {
      String id = new JdbcSettings(database).get("database.id").orElse("");
      if (!id.equals(manifest.databaseId())) {
        throw new IOException("the backup's database is " + id + ", its manifest names " + manifest.databaseId());
      }
      JdbcPackageFileRepository files = new JdbcPackageFileRepository(database);
      StoreIdentity.check(store, id, files.anyFile(), tmp);
      // The snapshot may have caught a file committed but not yet indexed for search (the index follows
      // the commit): bring the search rows in step now, as a server start would.
      new SearchIndexer(files, new JdbcSearchRepository(database), new Events(),
          f -> FileFacts.licenseFamilyOf(f).slug()).reconcile(new JdbcChannelRepository(database).list());
    }
  }

  private static void removeContents(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        if (!p.equals(dir)) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
