package io.wharf.server.stats;

import io.wharf.server.db.Database;
import io.wharf.server.error.WharfException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * Stored download totals of a channel's packages: per package, per version, per file and per UTC day.
 * Totals are what the nodes have flushed: downloads of the last flush interval are not in them yet.
 */
public final class DownloadTotals {
  /** The longest daily series one request may ask for. */
  public static final int MAX_DAYS = 3660;
  private static final int IN_CHUNK = 500;

  private final Jdbi jdbi;

  public DownloadTotals(Database db) {
    this.jdbi = db.jdbi();
  }

  /** A served file of a channel. */
  public record FileRef(String label, String subdir, String filename) {}

  public record Day(LocalDate date, long downloads) {}

  /** Every download of any file of the package {@code name}, all subchannels together. */
  public long forPackage(long channelId, String name) {
    return jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(SUM(downloads), 0) FROM download_counts"
            + " WHERE channel_id = :c AND name = :name")
        .bind("c", channelId).bind("name", name).mapTo(Long.class).one());
  }

  /** Downloads per version of the package; versions never downloaded are absent. */
  public Map<String, Long> byVersion(long channelId, String name) {
    Map<String, Long> out = new HashMap<>();
    jdbi.useHandle(h -> h.createQuery("SELECT version, SUM(downloads) AS n FROM download_counts"
            + " WHERE channel_id = :c AND name = :name GROUP BY version")
        .bind("c", channelId).bind("name", name)
        .map((rs, ctx) -> Map.entry(rs.getString("version"), rs.getLong("n")))
        .forEach(e -> out.put(e.getKey(), e.getValue())));
    return out;
  }

  /** Downloads of each given file; a file never downloaded maps to 0. */
  public Map<FileRef, Long> forFiles(long channelId, Collection<FileRef> files) {
    Map<FileRef, Long> out = new HashMap<>();
    files.forEach(f -> out.put(f, 0L));
    List<String> names = files.stream().map(FileRef::filename).distinct().toList();
    for (int i = 0; i < names.size(); i += IN_CHUNK) {
      List<String> chunk = names.subList(i, Math.min(names.size(), i + IN_CHUNK));
      jdbi.useHandle(h -> h.createQuery("SELECT label, subdir, filename, SUM(downloads) AS n FROM download_counts"
              + " WHERE channel_id = :c AND filename IN (<names>) GROUP BY label, subdir, filename")
          .bind("c", channelId).bindList("names", chunk)
          .map((rs, ctx) -> Map.entry(
              new FileRef(rs.getString("label"), rs.getString("subdir"), rs.getString("filename")), rs.getLong("n")))
          .forEach(e -> out.computeIfPresent(e.getKey(), (k, v) -> e.getValue())));
    }
    return out;
  }

  /** The package's downloads on each UTC day from {@code from} to {@code to}, both included, zero days too. */
  public List<Day> daily(long channelId, String name, LocalDate from, LocalDate to) {
    if (to.isBefore(from)) {
      throw WharfException.invalid("invalid_range", "from (" + from + ") must not be after to (" + to + ")");
    }
    long days = to.toEpochDay() - from.toEpochDay() + 1;
    if (days > MAX_DAYS) {
      throw WharfException.invalid("invalid_range", "at most " + MAX_DAYS + " days at once, asked for " + days);
    }
    Map<Long, Long> counted = new HashMap<>();
    jdbi.useHandle(h -> h.createQuery("SELECT day, SUM(downloads) AS n FROM download_counts"
            + " WHERE channel_id = :c AND name = :name AND day BETWEEN :from AND :to GROUP BY day")
        .bind("c", channelId).bind("name", name).bind("from", from.toEpochDay()).bind("to", to.toEpochDay())
        .map((rs, ctx) -> Map.entry(rs.getLong("day"), rs.getLong("n")))
        .forEach(e -> counted.put(e.getKey(), e.getValue())));
    List<Day> out = new ArrayList<>((int) days);
    for (long d = from.toEpochDay(); d <= to.toEpochDay(); d++) {
      out.add(new Day(LocalDate.ofEpochDay(d), counted.getOrDefault(d, 0L)));
    }
    return out;
  }

  /** Per-version totals in the order of {@code versions}, zeros included. */
  public Map<String, Long> byVersion(long channelId, String name, List<String> versions) {
    Map<String, Long> counted = byVersion(channelId, name);
    Map<String, Long> out = new LinkedHashMap<>();
    versions.forEach(v -> out.put(v, counted.getOrDefault(v, 0L)));
    return out;
  }
}
