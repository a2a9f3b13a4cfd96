package io.wharf.server.stats;

import io.wharf.conda.pkg.PackageFilename;
import io.wharf.server.db.Database;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/** Writes download counts: each batch adds to the stored rows in one transaction. */
public final class JdbcDownloadCounts implements DownloadCounter.Sink {
  private final Jdbi jdbi;

  public JdbcDownloadCounts(Database db) {
    this.jdbi = db.jdbi();
  }

  /**
   * Adds the counts. The upsert adds rather than sets (both SQLite 3.24+ and PostgreSQL 9.5+ take this
   * ON CONFLICT form), so nodes sharing the database each add their own increments; keys arrive sorted.
   */
  @Override
  public void add(Map<DownloadKey, Long> counts) {
    jdbi.useTransaction(h -> {
      PreparedBatch batch = h.prepareBatch("INSERT INTO download_counts"
          + " (channel_id, label, subdir, filename, day, name, version, downloads)"
          + " VALUES (:channel, :label, :subdir, :filename, :day, :name, :version, :n)"
          + " ON CONFLICT (channel_id, label, subdir, filename, day)"
          + " DO UPDATE SET downloads = download_counts.downloads + excluded.downloads");
      counts.forEach((k, n) -> {
        String[] nameVersion = nameAndVersion(k.filename());
        batch.bind("channel", k.channelId()).bind("label", k.label()).bind("subdir", k.subdir())
            .bind("filename", k.filename()).bind("day", k.day()).bind("name", nameVersion[0])
            .bind("version", nameVersion[1]).bind("n", n).add();
      });
      batch.execute();
    });
  }

  /** Forgets a removed channel's counts (its id is never given out again, so this only frees space). */
  public void deleteChannel(long channelId) {
    jdbi.useHandle(h -> h.createUpdate("DELETE FROM download_counts WHERE channel_id = :c")
        .bind("c", channelId).execute());
  }

  /** Served files were accepted by the CEP 26 filename rules at upload; the fallback only keeps a row. */
  private static String[] nameAndVersion(String filename) {
    try {
      PackageFilename fn = PackageFilename.parse(filename);
      return new String[] {fn.name(), fn.version()};
    } catch (RuntimeException e) {
      return new String[] {filename, ""};
    }
  }
}
