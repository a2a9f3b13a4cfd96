package io.wharf.server.check;

import io.wharf.server.db.Database;
import io.wharf.server.db.DigestIndexes;
import java.util.List;
import java.util.OptionalLong;
import org.jdbi.v3.core.Jdbi;

/**
 * The reads an integrity check needs beyond the repositories, each one page or one key at a time so a
 * check never holds a whole channel. Plain SQL that both engines run.
 */
final class JdbcCheckQueries {
  /** What a check needs of one package file row. */
  record RowBlob(long id, long channelId, String label, String subdir, String filename, String blobKey,
      long size, String sha256) {}

  private final Jdbi jdbi;

  JdbcCheckQueries(Database db) {
    this.jdbi = db.jdbi();
  }

  long rowCount() {
    return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM package_files").mapTo(Long.class).one());
  }

  /**
   * Up to {@code limit} rows with an id above {@code afterId}, in id order; rows of passive mirror files are left
   * out, since their bytes are fetched from upstream on the first download and have no blob until then.
   */
  List<RowBlob> rowsAfter(long afterId, int limit) {
    return jdbi.withHandle(h -> h.createQuery("SELECT id, channel_id, label, subdir, filename, blob_key, size,"
            + " sha256 FROM package_files f WHERE id > :after"
            + " AND NOT EXISTS (SELECT 1 FROM passive_blobs p WHERE " + DigestIndexes.SHA256.is("p.sha256", "f.sha256")
            + ") ORDER BY id LIMIT :limit")
        .bind("after", afterId).bind("limit", limit)
        .map((rs, ctx) -> new RowBlob(rs.getLong("id"), rs.getLong("channel_id"), rs.getString("label"),
            rs.getString("subdir"), rs.getString("filename"), rs.getString("blob_key"), rs.getLong("size"),
            rs.getString("sha256")))
        .list());
  }

  /** Up to {@code limit} names the search index holds for the channel after {@code after} ("" from the first). */
  List<String> searchNamesAfter(long channelId, String after, int limit) {
    return jdbi.withHandle(h -> h.createQuery("SELECT name FROM package_search WHERE channel_id = :channel"
            + " AND name > :after ORDER BY name LIMIT :limit")
        .bind("channel", channelId).bind("after", after).bind("limit", limit)
        .mapTo(String.class).list());
  }

  boolean nameHasFiles(long channelId, String name) {
    return jdbi.withHandle(h -> h.createQuery("SELECT 1 FROM package_files WHERE channel_id = :channel"
            + " AND name = :name LIMIT 1")
        .bind("channel", channelId).bind("name", name).mapTo(Integer.class).findOne().isPresent());
  }

  /** When the blob was marked as having lost its last row, if it is marked. */
  OptionalLong garbageMark(String key) {
    return jdbi.withHandle(h -> h.createQuery("SELECT marked_at FROM blob_garbage WHERE blob_key = :key")
        .bind("key", key).mapTo(Long.class).findOne())
        .map(OptionalLong::of).orElse(OptionalLong.empty());
  }

  /** The database's identity ({@code database.id}), which its blob store must name. */
  java.util.Optional<String> databaseId() {
    return jdbi.withHandle(h -> h.createQuery("SELECT value FROM settings WHERE name = 'database.id'")
        .mapTo(String.class).findOne());
  }
}
