package io.wharf.server.stats;

import io.wharf.conda.pkg.PackageFilename;
import io.wharf.server.db.Database;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/** Writes download counts (each batch adds to the stored rows in one transaction) and sums them. */
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

  long sumForPackage(long channelId, String name) {
    return jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(SUM(downloads), 0) FROM download_counts"
            + " WHERE channel_id = :c AND name = :name")
        .bind("c", channelId).bind("name", name).mapTo(Long.class).one());
  }

  long sumForPackageInLabel(long channelId, String label, String name) {
    return jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(SUM(downloads), 0) FROM download_counts"
            + " WHERE channel_id = :c AND label = :label AND name = :name")
        .bind("c", channelId).bind("label", label).bind("name", name).mapTo(Long.class).one());
  }

  Map<String, Long> sumByVersion(long channelId, String name) {
    Map<String, Long> out = new HashMap<>();
    jdbi.useHandle(h -> h.createQuery("SELECT version, SUM(downloads) AS n FROM download_counts"
            + " WHERE channel_id = :c AND name = :name GROUP BY version")
        .bind("c", channelId).bind("name", name)
        .map((rs, ctx) -> Map.entry(rs.getString("version"), rs.getLong("n")))
        .forEach(e -> out.put(e.getKey(), e.getValue())));
    return out;
  }

  /** The files of these names that were downloaded, in any subchannel or subdir, with their sums. */
  Map<DownloadTotals.FileRef, Long> sumForFiles(long channelId, List<String> filenames) {
    Map<DownloadTotals.FileRef, Long> out = new HashMap<>();
    jdbi.useHandle(h -> h.createQuery("SELECT label, subdir, filename, SUM(downloads) AS n FROM download_counts"
            + " WHERE channel_id = :c AND filename IN (<names>) GROUP BY label, subdir, filename")
        .bind("c", channelId).bindList("names", filenames)
        .map((rs, ctx) -> Map.entry(
            new DownloadTotals.FileRef(rs.getString("label"), rs.getString("subdir"), rs.getString("filename")),
            rs.getLong("n")))
        .forEach(e -> out.put(e.getKey(), e.getValue())));
    return out;
  }

  /** Sums per day (days since the epoch) from {@code fromDay} to {@code toDay}; days without downloads are absent. */
  Map<Long, Long> sumByDay(long channelId, String name, long fromDay, long toDay) {
    Map<Long, Long> out = new HashMap<>();
    jdbi.useHandle(h -> h.createQuery("SELECT day, SUM(downloads) AS n FROM download_counts"
            + " WHERE channel_id = :c AND name = :name AND day BETWEEN :from AND :to GROUP BY day")
        .bind("c", channelId).bind("name", name).bind("from", fromDay).bind("to", toDay)
        .map((rs, ctx) -> Map.entry(rs.getLong("day"), rs.getLong("n")))
        .forEach(e -> out.put(e.getKey(), e.getValue())));
    return out;
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
