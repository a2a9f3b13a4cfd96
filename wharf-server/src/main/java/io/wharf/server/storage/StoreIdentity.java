package io.wharf.server.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Ties a blob store to the database whose rows refer to its blobs. The store keeps the database's
 * identity in one object, written when the store is first used; a node whose database and store
 * disagree refuses to start, because its sweeper would take every blob of the other database for an
 * orphan and delete it.
 */
public final class StoreIdentity {
  public static final String KEY = "wharf-store-identity";

  private StoreIdentity() {}

  /**
   * @param databaseId the identity this database keeps in its settings
   * @param databaseHasFiles whether the database has package rows; a store without identity that holds
   *     packages is adopted only by a database that has some (a store from before identities existed)
   * @throws IllegalStateException when the store belongs to another database
   */
  public static void check(BlobStore blobs, String databaseId, boolean databaseHasFiles, Path tmpDir)
      throws IOException {
    if (blobs.size(KEY).isPresent()) {
      String stored;
      try (InputStream in = blobs.open(KEY)) {
        stored = new String(in.readNBytes(200), StandardCharsets.UTF_8).trim();
      }
      if (!stored.equals(databaseId)) {
        throw new IllegalStateException("the blob store belongs to another database (store: " + stored
            + ", this database: " + databaseId + "). Check the database URL and the storage setting:"
            + " starting would treat every package of that database as unused and delete it.");
      }
      return;
    }
    boolean storeHasPackages = !blobs.list("sha256/").isEmpty() || !blobs.list("packages/").isEmpty();
    if (storeHasPackages && !databaseHasFiles) {
      throw new IllegalStateException("the blob store holds packages but this database has none, and the"
          + " store names no database. Check the database URL and the storage setting: starting would"
          + " treat those packages as unused and delete them.");
    }
    Files.createDirectories(tmpDir);
    Path file = Files.createTempFile(tmpDir, "identity-", ".txt");
    try {
      Files.writeString(file, databaseId + "\n");
      blobs.put(KEY, file);
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
