package io.wharf.server.pkg;

import io.wharf.server.storage.BlobStore;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes package blobs no row uses, never sooner than a grace period after they lost their last
 * row, so that a node still serving a snapshot that lists the file (it learns of the change within
 * about a second) never finds its bytes gone.
 *
 * <ul>
 *   <li>Blobs marked when their last row went (in the transaction that removed it): deleted once the
 *       mark is older than the grace period, unless a row uses the blob again or it was written again
 *       after the mark (an upload of equal bytes is under way).
 *   <li>Blobs that never had a committed row (an upload that failed or crashed between writing its
 *       blob and committing its row): deleted once unused and older than the grace period.
 * </ul>
 */
public final class BlobSweeper {
  private static final Logger LOG = LoggerFactory.getLogger(BlobSweeper.class);
  public static final long DEFAULT_GRACE_MILLIS = 60L * 60 * 1000;
  private static final List<String> PREFIXES = List.of("sha256/", "packages/");
  private static final int CHUNK = 500;

  private final PackageFileRepository files;
  private final BlobStore blobs;
  private final long graceMillis;

  public BlobSweeper(PackageFileRepository files, BlobStore blobs, long graceMillis) {
    this.files = files;
    this.blobs = blobs;
    this.graceMillis = graceMillis;
  }

  /** Returns how many blobs were removed. */
  public int sweep(long nowMillis) throws IOException {
    long before = nowMillis - graceMillis;
    int removed = 0;
    for (PackageFileRepository.GarbageBlob g : files.blobGarbage(before, 10_000)) {
      Optional<Instant> modified = blobs.modified(g.key());
      if (files.blobReferenced(g.key())) {
        files.unmarkGarbage(g.key());
      } else if (modified.isPresent() && modified.get().toEpochMilli() > g.markedAt()) {
        files.unmarkGarbage(g.key()); // written again since: left to the orphan rule below
      } else {
        if (modified.isPresent() && blobs.delete(g.key())) {
          removed++;
        }
        files.forgetContents(g.key());
        files.unmarkGarbage(g.key());
      }
    }
    for (String prefix : PREFIXES) {
      List<String> listed = blobs.list(prefix);
      // Asked a chunk at a time: the set of every referenced key would grow with the store.
      for (int from = 0; from < listed.size(); from += CHUNK) {
        List<String> chunk = listed.subList(from, Math.min(listed.size(), from + CHUNK));
        Set<String> referenced = files.referencedBlobKeys(chunk);
        for (String key : chunk) {
          if (referenced.contains(key)) {
            continue;
          }
          Optional<Instant> modified = blobs.modified(key);
          if (modified.isPresent() && modified.get().toEpochMilli() < before && !files.blobReferenced(key)
              && blobs.delete(key)) {
            files.forgetContents(key);
            removed++;
          }
        }
      }
    }
    if (removed > 0) {
      LOG.info("removed {} unused package blobs", removed);
    }
    return removed;
  }
}
