package io.wharf.server.vuln.jdbc;

import io.wharf.server.db.Database;
import io.wharf.server.db.JdbcBatch;
import io.wharf.server.events.PackageStored;
import io.wharf.server.pkg.InstalledFiles;
import io.wharf.server.vuln.DeclaredPypiNames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The PyPI names package files declare ({@code package_pypi_names}): worked out once per stored file from the
 * listing kept at upload ({@code package_contents}), then read by the matcher without touching the listing.
 */
public final class JdbcDeclaredNames {
  /** Names bound into one IN list: well under both engines' limits on bound parameters. */
  private static final int CHUNK = 500;

  private final Jdbi jdbi;

  public JdbcDeclaredNames(Database db) {
    this.jdbi = db.jdbi();
  }

  /**
   * Keeps the names declared by these just-stored files, looked up by their locations, whose bytes were not
   * examined with a result before (a copy or a re-upload of examined bytes is skipped): the work follows the
   * files stored, not the versions their names already have. Only listings that mention a {@code .dist-info/}
   * or {@code .egg-info} path are read and parsed, so packages without Python metadata (most native ones)
   * cost one indexed lookup. A file whose listing was not kept (stored before listings were) declares nothing.
   */
  public void remember(Collection<PackageStored> stored) {
    Map<Place, Set<String>> byPlace = new LinkedHashMap<>();
    for (PackageStored s : stored) {
      byPlace.computeIfAbsent(new Place(s.channelId(), s.label(), s.subdir()), k -> new LinkedHashSet<>())
          .add(s.filename());
    }
    jdbi.useHandle(h -> byPlace.forEach((place, filenames) -> {
      List<String[]> rows = new ArrayList<>();
      JdbcBatch.selectIn(h, "SELECT f.sha256, f.name, c.paths_json FROM package_files f"
              + " JOIN package_contents c ON c.sha256 = f.sha256"
              + " WHERE f.channel_id = ? AND f.label = ? AND f.subdir = ? AND f.filename IN (<in>)"
              + " AND (c.paths_json LIKE '%.dist-info/%' OR c.paths_json LIKE '%.egg-info%')"
              + " AND NOT EXISTS (SELECT 1 FROM package_pypi_names p WHERE p.sha256 = f.sha256)",
          s -> {
            s.setLong(1, place.channelId());
            s.setString(2, place.label());
            s.setString(3, place.subdir());
          }, 3, List.copyOf(filenames), CHUNK,
          rs -> rows.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)}));
      for (String[] row : rows) {
        insertDeclared(h, row[0], row[1], row[2]);
      }
    }));
  }

  private record Place(long channelId, String label, String subdir) {}

  /**
   * One step of the backfill of files stored before declared names were kept (migration V42): examines the
   * next {@code batch} file ids after the backfill's cursor, in one transaction that also moves the cursor,
   * and returns the conda names that gained declared names; empty when there is nothing left (the cursor's
   * row is then gone, so later starts do nothing).
   */
  public Optional<Set<String>> backfillStep(int batch) {
    return jdbi.inTransaction(h -> {
      Optional<long[]> cursor = h.createQuery(
              "SELECT after_file_id, until_file_id FROM declared_names_backfill WHERE id = 1")
          .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)})
          .findOne();
      if (cursor.isEmpty()) {
        return Optional.empty();
      }
      long after = cursor.get()[0];
      long until = cursor.get()[1];
      long last = h.createQuery("SELECT COALESCE(MAX(id), -1) FROM (SELECT id FROM package_files"
              + " WHERE id > :after AND id <= :until ORDER BY id LIMIT :n) s")
          .bind("after", after).bind("until", until).bind("n", batch)
          .mapTo(Long.class).one();
      if (last < 0) {
        h.createUpdate("DELETE FROM declared_names_backfill WHERE id = 1").execute();
        return Optional.empty();
      }
      List<String[]> rows = new ArrayList<>();
      h.createQuery("SELECT f.sha256, f.name, c.paths_json FROM package_files f"
              + " JOIN package_contents c ON c.sha256 = f.sha256"
              + " WHERE f.id > :after AND f.id <= :last"
              + " AND (c.paths_json LIKE '%.dist-info/%' OR c.paths_json LIKE '%.egg-info%')"
              + " AND NOT EXISTS (SELECT 1 FROM package_pypi_names p WHERE p.sha256 = f.sha256)")
          .bind("after", after).bind("last", last)
          .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)})
          .forEach(rows::add);
      Set<String> gained = new LinkedHashSet<>();
      for (String[] row : rows) {
        if (insertDeclared(h, row[0], row[1], row[2])) {
          gained.add(row[1]);
        }
      }
      h.createUpdate("UPDATE declared_names_backfill SET after_file_id = :last WHERE id = 1 AND after_file_id < :last")
          .bind("last", last).execute();
      return Optional.of(gained);
    });
  }

  // keeps the names this listing declares for these bytes; true when it declares any
  private static boolean insertDeclared(Handle h, String sha256, String condaName, String pathsJson) {
    List<String> paths = InstalledFiles.fromJson(pathsJson).files().stream().map(InstalledFiles.File::path).toList();
    Set<String> names = DeclaredPypiNames.of(paths);
    for (String name : names) {
      h.createUpdate("INSERT INTO package_pypi_names (sha256, conda_name, pypi_name) VALUES (:sha, :conda, :n)"
              + " ON CONFLICT (sha256, pypi_name) DO NOTHING")
          .bind("sha", sha256).bind("conda", condaName).bind("n", name).execute();
    }
    return !names.isEmpty();
  }

  /** The names declared by the files of this conda name that declare any, by the files' sha256. */
  static Map<String, Set<String>> bySha256(Handle h, String condaName) {
    Map<String, Set<String>> out = new HashMap<>();
    h.createQuery("SELECT sha256, pypi_name FROM package_pypi_names WHERE conda_name = :n")
        .bind("n", condaName)
        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
        .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new LinkedHashSet<>()).add(e.getValue()));
    return out;
  }

  /** Conda names of files that declare one of these PyPI names (files since removed included: harmless). */
  static Set<String> condaNamesDeclaring(Handle h, Collection<String> pypiNames) {
    Set<String> out = new HashSet<>();
    List<String> all = new ArrayList<>(pypiNames);
    for (int i = 0; i < all.size(); i += CHUNK) {
      h.createQuery("SELECT DISTINCT conda_name FROM package_pypi_names WHERE pypi_name IN (<names>)")
          .bindList("names", all.subList(i, Math.min(all.size(), i + CHUNK)))
          .mapTo(String.class).forEach(out::add);
    }
    return out;
  }
}
