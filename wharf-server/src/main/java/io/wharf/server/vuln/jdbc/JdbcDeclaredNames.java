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
        List<String> paths = InstalledFiles.fromJson(row[2]).files().stream().map(InstalledFiles.File::path)
            .toList();
        for (String name : DeclaredPypiNames.of(paths)) {
          h.createUpdate("INSERT INTO package_pypi_names (sha256, conda_name, pypi_name) VALUES (:sha, :conda, :n)"
                  + " ON CONFLICT (sha256, pypi_name) DO NOTHING")
              .bind("sha", row[0]).bind("conda", row[1]).bind("n", name).execute();
        }
      }
    }));
  }

  private record Place(long channelId, String label, String subdir) {}

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
