package io.wharf.server.vuln.jdbc;

import io.wharf.server.db.Database;
import io.wharf.server.vuln.AffectedRange;
import io.wharf.server.vuln.AffectedRange.Kind;
import io.wharf.server.vuln.CveStatus;
import io.wharf.server.vuln.FileCve;
import io.wharf.server.vuln.PypiNames;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Links CVEs to stored package files by name and version. A conda name reaches PyPI ranges under its own
 * normalised name and under its entry in {@code conda_pypi_names}, and CPE ranges through
 * {@code conda_cpe_products}; a file also reaches PyPI ranges under the names its own metadata declares
 * ({@link JdbcDeclaredNames}). A new link is Reported; a Reported link no longer implied by the data is
 * dropped, while curated links stay as the curator left them.
 */
public final class JdbcCveMatches {
  private final Jdbi jdbi;
  private final Clock clock;

  public JdbcCveMatches(Database db, Clock clock) {
    this.jdbi = db.jdbi();
    this.clock = clock;
  }

  /** The range keys ("KIND package") a conda name is matched under. */
  public Set<String> keysFor(String condaName) {
    return jdbi.withHandle(h -> Names.load(h).keys(condaName));
  }

  /** The curated name tables, small enough to hold while matching many names. */
  record Names(Map<String, List<String>> pypi, Map<String, List<String>> cpe) {
    static Names load(Handle h) {
      Map<String, List<String>> pypi = new HashMap<>();
      Map<String, List<String>> cpe = new HashMap<>();
      h.createQuery("SELECT conda_name, pypi_name FROM conda_pypi_names")
          .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
          .forEach(e -> pypi.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
      h.createQuery("SELECT conda_name, vendor, product FROM conda_cpe_products")
          .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2) + ":" + rs.getString(3)))
          .forEach(e -> cpe.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
      return new Names(pypi, cpe);
    }

    Set<String> keys(String condaName) {
      Set<String> keys = new HashSet<>();
      keys.add(Kind.PYPI + " " + PypiNames.normalise(condaName));
      pypi.getOrDefault(condaName, List.of()).forEach(p -> keys.add(Kind.PYPI + " " + PypiNames.normalise(p)));
      cpe.getOrDefault(condaName, List.of()).forEach(c -> keys.add(Kind.CPE + " " + c));
      return keys;
    }
  }

  private static Set<String> keys(Handle h, String condaName) {
    return Names.load(h).keys(condaName);
  }

  /** Names of stored files that any of the given range keys could reach, by name or by a declared PyPI name. */
  public List<String> namesReaching(Set<String> changedKeys) {
    return jdbi.withHandle(h -> {
      Names names = Names.load(h);
      Set<String> declaring = JdbcDeclaredNames.condaNamesDeclaring(h, changedKeys.stream()
          .filter(k -> k.startsWith(Kind.PYPI + " ")).map(k -> k.substring(k.indexOf(' ') + 1)).toList());
      List<String> out = new ArrayList<>();
      h.createQuery("SELECT DISTINCT name FROM package_files").mapTo(String.class).forEach(n -> {
        if (declaring.contains(n) || names.keys(n).stream().anyMatch(changedKeys::contains)) {
          out.add(n);
        }
      });
      return out;
    });
  }

  /**
   * Recomputes the links of every stored file of one conda name; returns how many links were added. A name
   * no range reaches and no link names is left at once, so that uploads of unaffected packages (most of
   * them) cost two reads.
   */
  public int rematch(String condaName) {
    boolean concerned = jdbi.withHandle(h -> {
      Set<String> packages = new HashSet<>();
      keys(h, condaName).forEach(k -> packages.add(k.substring(k.indexOf(' ') + 1)));
      JdbcDeclaredNames.bySha256(h, condaName).values().forEach(packages::addAll);
      return h.createQuery("SELECT 1 FROM cve_ranges WHERE package IN (<pkgs>)").bindList("pkgs", List.copyOf(packages))
          .mapTo(Integer.class).findFirst().isPresent()
          || h.createQuery("SELECT 1 FROM cve_matches m JOIN package_files f ON f.id = m.file_id WHERE f.name = :n")
              .bind("n", condaName).mapTo(Integer.class).findFirst().isPresent();
    });
    if (!concerned) {
      return 0;
    }
    return jdbi.inTransaction(h -> {
      Set<String> nameKeys = keys(h, condaName);
      // A file is also matched under the PyPI names its own metadata declares (its *.dist-info directory).
      Map<String, Set<String>> declared = JdbcDeclaredNames.bySha256(h, condaName);
      Set<String> keys = new HashSet<>(nameKeys);
      declared.values().forEach(ns -> ns.forEach(n -> keys.add(Kind.PYPI + " " + n)));
      List<Map.Entry<String, AffectedRange>> ranges = new ArrayList<>();
      h.createQuery("SELECT r.cve_id, g.kind, g.package, g.exact_version, g.start_version, g.start_inclusive,"
              + " g.end_version, g.end_inclusive FROM cve_ranges g JOIN cve_records r ON r.record_id = g.record_id"
              + " WHERE g.package IN (<pkgs>)")
          .bindList("pkgs", keys.stream().map(k -> k.substring(k.indexOf(' ') + 1)).toList())
          .map((rs, ctx) -> Map.entry(rs.getString(1), new AffectedRange(Kind.valueOf(rs.getString(2)),
              rs.getString(3), rs.getString(4), rs.getString(5), rs.getInt(6) != 0, rs.getString(7),
              rs.getInt(8) != 0)))
          .forEach(e -> {
            if (keys.contains(e.getValue().kind() + " " + e.getValue().pkg())) {
              ranges.add(e);
            }
          });
      List<String[]> files = h.createQuery("SELECT id, version, sha256 FROM package_files WHERE name = :n")
          .bind("n", condaName)
          .map((rs, ctx) -> new String[] {Long.toString(rs.getLong(1)), rs.getString(2), rs.getString(3)}).list();
      Set<String> wanted = new HashSet<>();
      for (String[] f : files) {
        Set<String> own = declared.getOrDefault(f[2], Set.of());
        for (Map.Entry<String, AffectedRange> r : ranges) {
          AffectedRange range = r.getValue();
          boolean reached = nameKeys.contains(range.kind() + " " + range.pkg())
              || (range.kind() == Kind.PYPI && own.contains(range.pkg()));
          if (reached && range.contains(f[1])) {
            wanted.add(r.getKey() + " " + f[0]);
          }
        }
      }
      Set<String> existing = new HashSet<>();
      List<Map.Entry<String, Long>> stale = new ArrayList<>();
      h.createQuery("SELECT m.cve_id, m.file_id, m.curated_at FROM cve_matches m"
              + " JOIN package_files f ON f.id = m.file_id WHERE f.name = :n")
          .bind("n", condaName)
          .map((rs, ctx) -> new Object[] {rs.getString(1), rs.getLong(2), rs.getObject(3)})
          .forEach(row -> {
            String key = row[0] + " " + row[1];
            existing.add(key);
            if (!wanted.contains(key) && row[2] == null) {
              stale.add(Map.entry((String) row[0], (Long) row[1]));
            }
          });
      for (Map.Entry<String, Long> s : stale) {
        h.createUpdate("DELETE FROM cve_matches WHERE cve_id = :c AND file_id = :f")
            .bind("c", s.getKey()).bind("f", s.getValue()).execute();
      }
      int added = 0;
      long now = clock.millis();
      for (String key : wanted) {
        if (!existing.contains(key)) {
          int space = key.lastIndexOf(' ');
          // Two nodes may match the same new file at once; the second insert then finds the link made.
          h.createUpdate("INSERT INTO cve_matches (cve_id, file_id, status, matched_at)"
                  + " VALUES (:c, :f, 'REPORTED', :at) ON CONFLICT (cve_id, file_id) DO NOTHING")
              .bind("c", key.substring(0, space)).bind("f", Long.parseLong(key.substring(space + 1)))
              .bind("at", now).execute();
          added++;
        }
      }
      return added;
    });
  }

  /**
   * {@link #rematch} for each of several names, as one batch asks (an import's): which of them any range
   * reaches or any link names is found with a few queries for all of them (the curated name tables read
   * once), and only those are rematched one by one. Returns how many links were added.
   */
  public int rematchAll(java.util.Collection<String> condaNames) {
    List<String> all = List.copyOf(new java.util.LinkedHashSet<>(condaNames));
    if (all.isEmpty()) {
      return 0;
    }
    List<String> concerned = jdbi.withHandle(h -> {
      Names names = Names.load(h);
      Map<String, Set<String>> packages = new HashMap<>();
      for (String n : all) {
        Set<String> p = packages.computeIfAbsent(n, k -> new HashSet<>());
        names.keys(n).forEach(k -> p.add(k.substring(k.indexOf(' ') + 1)));
      }
      Set<String> linked = new HashSet<>();
      for (List<String> chunk : chunks(all)) {
        h.createQuery("SELECT conda_name, pypi_name FROM package_pypi_names WHERE conda_name IN (<names>)")
            .bindList("names", io.wharf.server.db.InLists.padded(chunk))
            .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
            .forEach(e -> packages.get(e.getKey()).add(e.getValue()));
        h.createQuery("SELECT DISTINCT f.name FROM cve_matches m JOIN package_files f ON f.id = m.file_id"
                + " WHERE f.name IN (<names>)")
            .bindList("names", io.wharf.server.db.InLists.padded(chunk)).mapTo(String.class).forEach(linked::add);
      }
      Set<String> ranged = new HashSet<>();
      List<String> wanted = packages.values().stream().flatMap(Set::stream).distinct().toList();
      for (List<String> chunk : chunks(wanted)) {
        h.createQuery("SELECT DISTINCT package FROM cve_ranges WHERE package IN (<pkgs>)").bindList("pkgs", io.wharf.server.db.InLists.padded(chunk))
            .mapTo(String.class).forEach(ranged::add);
      }
      return all.stream()
          .filter(n -> linked.contains(n) || packages.get(n).stream().anyMatch(ranged::contains))
          .toList();
    });
    int added = 0;
    for (String n : concerned) {
      added += rematch(n);
    }
    return added;
  }

  /** Slices well under both engines' limits on bound parameters. */
  private static List<List<String>> chunks(List<String> all) {
    List<List<String>> out = new ArrayList<>();
    for (int i = 0; i < all.size(); i += 500) {
      out.add(all.subList(i, Math.min(all.size(), i + 500)));
    }
    return out;
  }

  /** Sets a link's curated status and records it in the status history. */
  public boolean setStatus(String cveId, long fileId, CveStatus status, String curator, String note) {
    return jdbi.inTransaction(h -> {
      long now = clock.millis();
      int n = h.createUpdate("UPDATE cve_matches SET status = :s, curated_at = :at, curator = :who, note = :note"
              + " WHERE cve_id = :c AND file_id = :f")
          .bind("s", status.name()).bind("at", now).bind("who", curator).bind("note", note)
          .bind("c", cveId).bind("f", fileId).execute();
      if (n > 0) {
        h.createUpdate("INSERT INTO cve_status_history (cve_id, file_id, status, at, curator, note)"
                + " VALUES (:c, :f, :s, :at, :who, :note)")
            .bind("c", cveId).bind("f", fileId).bind("s", status.name()).bind("at", now).bind("who", curator)
            .bind("note", note).execute();
      }
      return n > 0;
    });
  }

  /** The CVEs linked to each of the given files (files without any are absent), in one query. */
  public Map<Long, List<FileCve>> forFiles(java.util.Collection<Long> fileIds) {
    Map<Long, List<FileCve>> out = new HashMap<>();
    if (fileIds.isEmpty()) {
      return out;
    }
    jdbi.useHandle(h -> h.createQuery("SELECT m.file_id, c.id, c.score, c.score_version, c.severity, m.status,"
            + " m.curated_at, m.curator, m.note FROM cve_matches m JOIN cves c ON c.id = m.cve_id"
            + " WHERE m.file_id IN (<ids>) ORDER BY c.id")
        .bindList("ids", List.copyOf(fileIds))
        .map((rs, ctx) -> Map.entry(rs.getLong(1), new FileCve(rs.getString(2), JdbcCveQueries.score(rs, 3),
            rs.getString(4), rs.getString(5), CveStatus.valueOf(rs.getString(6)),
            JdbcCveRecords.instant(rs.getObject(7)), rs.getString(8), rs.getString(9))))
        .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue())));
    return out;
  }

  /** The CVEs linked to one file, with each CVE's best score. */
  public List<FileCve> forFile(long fileId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT c.id, c.score, c.score_version, c.severity, m.status,"
            + " m.curated_at, m.curator, m.note FROM cve_matches m JOIN cves c ON c.id = m.cve_id"
            + " WHERE m.file_id = :f ORDER BY c.id")
        .bind("f", fileId)
        .map((rs, ctx) -> new FileCve(rs.getString(1), JdbcCveQueries.score(rs, 2),
            rs.getString(3), rs.getString(4), CveStatus.valueOf(rs.getString(5)),
            JdbcCveRecords.instant(rs.getObject(6)), rs.getString(7), rs.getString(8)))
        .list());
  }
}
