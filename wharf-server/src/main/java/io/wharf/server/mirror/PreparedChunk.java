package io.wharf.server.mirror;

import io.wharf.server.error.WharfException;
import io.wharf.server.pkg.NewPackageFile;
import java.util.List;
import java.util.Map;

/**
 * Part of a subdir's records, read and made ready by {@link MirrorPreparer} so that {@link MirrorWriter} only
 * writes: {@code unreadable} records (to count as failed), raw digests to note for records found unchanged
 * once parsed ({@code rawSeen}), how many records were {@code listed} (parsed or skipped as unchanged), and
 * the records to write in document order ({@code todo}). Nothing in it has been written or reported yet.
 */
record PreparedChunk(String subdir, List<Unreadable> unreadable, Map<String, String> rawSeen, int listed,
    List<Item> todo) {

  /** A record that is no record this server can take: it is counted and reported as failed. */
  record Unreadable(String filename, WharfException error) {}

  /**
   * A record new ({@code before} null) or changed since this mirror wrote it. {@code row} is its row when it
   * is written without downloading (passive mode, or the same bytes in active mode; null when the row needs
   * the downloaded file's MD5); {@code noteSource}: its bytes are not here, so upstream's URL is noted as
   * their passive source. {@code invalid}: the record cannot become a row; it is counted as failed where
   * it would have been written.
   */
  record Item(UpstreamRecord record, JdbcMirrors.Known before, NewPackageFile row, boolean noteSource,
      WharfException invalid) {}
}
