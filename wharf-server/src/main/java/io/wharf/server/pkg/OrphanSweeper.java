package io.wharf.server.pkg;

import io.wharf.server.storage.BlobStore;
import java.io.IOException;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes package blobs that no row references: what an upload leaves when the process dies between
 * writing the blob and committing its row. Keys carry their creation time, and only blobs older than a
 * grace period are removed, so uploads in flight on this or another node are never touched.
 */
public final class OrphanSweeper {
  private static final Logger LOG = LoggerFactory.getLogger(OrphanSweeper.class);
  static final long GRACE_MILLIS = 60L * 60 * 1000;

  private final PackageFileRepository files;
  private final BlobStore blobs;

  public OrphanSweeper(PackageFileRepository files, BlobStore blobs) {
    this.files = files;
    this.blobs = blobs;
  }

  /** Returns how many blobs were removed. */
  public int sweep(long nowMillis) throws IOException {
    Set<String> referenced = files.allBlobKeys();
    int removed = 0;
    for (String key : blobs.list("packages/")) {
      if (!referenced.contains(key) && createdAt(key) < nowMillis - GRACE_MILLIS) {
        if (blobs.delete(key)) {
          removed++;
        }
      }
    }
    if (removed > 0) {
      LOG.info("removed {} unreferenced package blobs", removed);
    }
    return removed;
  }

  /** {@code packages/<channel>/<millis>-<uuid>}; anything else counts as new, so it is kept. */
  static long createdAt(String key) {
    int slash = key.lastIndexOf('/');
    int dash = key.indexOf('-', slash + 1);
    if (slash < 0 || dash < 0) {
      return Long.MAX_VALUE;
    }
    try {
      return Long.parseLong(key.substring(slash + 1, dash));
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }
}
