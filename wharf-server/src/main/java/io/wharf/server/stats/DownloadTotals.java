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

/**
 * Stored download totals of a channel's packages: per package, per version, per file and per UTC day.
 * Totals are what the nodes have flushed: downloads of the last flush interval are not in them yet.
 */
public final class DownloadTotals {
  /** The longest daily series one request may ask for. */
  public static final int MAX_DAYS = 3660;
  private static final int IN_CHUNK = 500;

  private final JdbcDownloadCounts rows;

  public DownloadTotals(Database db) {
    this.rows = new JdbcDownloadCounts(db);
  }

  /** A served file of a channel. */
  public record FileRef(String label, String subdir, String filename) {}

  public record Day(LocalDate date, long downloads) {}

  /** Every download of any file of the package {@code name}, all subchannels together. */
  public long forPackage(long channelId, String name) {
    return rows.sumForPackage(channelId, name);
  }

  /** Every download of any file of the package {@code name} in one subchannel (what a badge of that label shows). */
  public long forPackage(long channelId, String label, String name) {
    return rows.sumForPackageInLabel(channelId, label, name);
  }

  /** Downloads per version of the package; versions never downloaded are absent. */
  public Map<String, Long> byVersion(long channelId, String name) {
    return rows.sumByVersion(channelId, name);
  }

  /** Per-version totals in the order of {@code versions}, zeros included. */
  public Map<String, Long> byVersion(long channelId, String name, List<String> versions) {
    Map<String, Long> counted = byVersion(channelId, name);
    Map<String, Long> out = new LinkedHashMap<>();
    versions.forEach(v -> out.put(v, counted.getOrDefault(v, 0L)));
    return out;
  }

  /** Downloads of each given file; a file never downloaded maps to 0. */
  public Map<FileRef, Long> forFiles(long channelId, Collection<FileRef> files) {
    Map<FileRef, Long> out = new HashMap<>();
    files.forEach(f -> out.put(f, 0L));
    List<String> names = files.stream().map(FileRef::filename).distinct().toList();
    for (int i = 0; i < names.size(); i += IN_CHUNK) {
      rows.sumForFiles(channelId, names.subList(i, Math.min(names.size(), i + IN_CHUNK)))
          .forEach((ref, n) -> out.computeIfPresent(ref, (k, v) -> n));
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
    Map<Long, Long> counted = rows.sumByDay(channelId, name, from.toEpochDay(), to.toEpochDay());
    List<Day> out = new ArrayList<>((int) days);
    for (long d = from.toEpochDay(); d <= to.toEpochDay(); d++) {
      out.add(new Day(LocalDate.ofEpochDay(d), counted.getOrDefault(d, 0L)));
    }
    return out;
  }
}
