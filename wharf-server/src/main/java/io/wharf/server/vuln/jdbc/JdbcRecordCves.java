package io.wharf.server.vuln.jdbc;

import io.wharf.server.db.Database;
import io.wharf.server.vuln.AffectedRange;
import io.wharf.server.vuln.AffectedRange.Kind;
import io.wharf.server.vuln.CveStatus;
import io.wharf.server.vuln.FileCve;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * The CVEs of upstream records a mirror policy judges, a whole listing at a time: those of the stored file
 * with the same bytes, else those the ranges imply for the name and version.
 */
public final class JdbcRecordCves {
  private final Jdbi jdbi;

  public JdbcRecordCves(Database db) {
    this.jdbi = db.jdbi();
  }

  private static final int CHUNK = 500;

  /**
   * The CVEs whose ranges reach conda names and versions not stored here (upstream records a mirror policy
   * judges), keyed by {@code "name version"} (absent: none), each with its best score and status Reported:
   * the links {@link #rematch} would make, by name only (declared PyPI names are known once contents are).
   */
  public Map<String, List<FileCve>> forUnstored(Collection<Map.Entry<String, String>> nameVersions) {
    Map<String, List<FileCve>> out = new HashMap<>();
    if (nameVersions.isEmpty()) {
      return out;
    }
    return jdbi.withHandle(h -> {
      JdbcCveMatches.Names names = JdbcCveMatches.Names.load(h);
      Map<String, Set<String>> keysByName = new HashMap<>();
      Set<String> packages = new HashSet<>();
      for (Map.Entry<String, String> nv : nameVersions) {
        keysByName.computeIfAbsent(nv.getKey(), n -> {
          Set<String> k = names.keys(n);
          k.forEach(key -> packages.add(key.substring(key.indexOf(' ') + 1)));
          return k;
        });
      }
      List<Map.Entry<String, AffectedRange>> ranges = new ArrayList<>();
      for (List<String> chunk : chunks(List.copyOf(packages))) {
        h.createQuery("SELECT r.cve_id, g.kind, g.package, g.exact_version, g.start_version, g.start_inclusive,"
                + " g.end_version, g.end_inclusive FROM cve_ranges g JOIN cve_records r ON r.record_id = g.record_id"
                + " WHERE g.package IN (<pkgs>)")
            .bindList("pkgs", chunk)
            .map((rs, ctx) -> Map.entry(rs.getString(1), new AffectedRange(Kind.valueOf(rs.getString(2)),
                rs.getString(3), rs.getString(4), rs.getString(5), rs.getInt(6) != 0, rs.getString(7),
                rs.getInt(8) != 0)))
            .forEach(ranges::add);
      }
      if (ranges.isEmpty()) {
        return out;
      }
      Map<String, Set<String>> cvesOf = new HashMap<>();
      for (Map.Entry<String, String> nv : nameVersions) {
        Set<String> keys = keysByName.get(nv.getKey());
        for (Map.Entry<String, AffectedRange> r : ranges) {
          AffectedRange range = r.getValue();
          if (keys.contains(range.kind() + " " + range.pkg()) && range.contains(nv.getValue())) {
            cvesOf.computeIfAbsent(nv.getKey() + " " + nv.getValue(), k -> new java.util.TreeSet<>()).add(r.getKey());
          }
        }
      }
      Map<String, FileCve> cves = new HashMap<>();
      Set<String> ids = new HashSet<>();
      cvesOf.values().forEach(ids::addAll);
      for (List<String> chunk : chunks(List.copyOf(ids))) {
        h.createQuery("SELECT id, score, score_version, severity FROM cves WHERE id IN (<ids>)")
            .bindList("ids", chunk)
            .map((rs, ctx) -> new FileCve(rs.getString(1), JdbcCveQueries.score(rs, 2), rs.getString(3),
                rs.getString(4), CveStatus.REPORTED, null, null, null))
            .forEach(c -> cves.put(c.cveId(), c));
      }
      cvesOf.forEach((key, set) -> out.put(key, set.stream().map(cves::get).filter(java.util.Objects::nonNull)
          .toList()));
      return out;
    });
  }

  /**
   * For those of these SHA-256s that a stored file has, the CVEs linked to any stored file with those bytes
   * (empty when none); bytes stored nowhere are absent. A CVE linked to several such files (one file in
   * several channels) takes its latest curation.
   */
  public Map<String, List<FileCve>> forStoredBytes(Collection<String> sha256s) {
    Map<String, Map<String, FileCve>> found = new HashMap<>();
    jdbi.useHandle(h -> {
      for (List<String> chunk : chunks(List.copyOf(new HashSet<>(sha256s)))) {
        h.createQuery("SELECT DISTINCT sha256 FROM package_files WHERE sha256 IN (<s>)").bindList("s", chunk)
            .mapTo(String.class).forEach(sha -> found.put(sha, new java.util.TreeMap<>()));
        h.createQuery("SELECT f.sha256, c.id, c.score, c.score_version, c.severity, m.status, m.curated_at,"
                + " m.curator, m.note FROM cve_matches m JOIN cves c ON c.id = m.cve_id"
                + " JOIN package_files f ON f.id = m.file_id WHERE f.sha256 IN (<s>)")
            .bindList("s", chunk)
            .map((rs, ctx) -> Map.entry(rs.getString(1), new FileCve(rs.getString(2), JdbcCveQueries.score(rs, 3),
                rs.getString(4), rs.getString(5), CveStatus.valueOf(rs.getString(6)),
                JdbcCveRecords.instant(rs.getObject(7)), rs.getString(8), rs.getString(9))))
            .forEach(e -> found.get(e.getKey()).merge(e.getValue().cveId(), e.getValue(), JdbcRecordCves::later));
      }
    });
    Map<String, List<FileCve>> out = new HashMap<>();
    found.forEach((sha, byCve) -> out.put(sha, List.copyOf(byCve.values())));
    return out;
  }

  private static List<List<String>> chunks(List<String> all) {
    List<List<String>> out = new ArrayList<>();
    for (int i = 0; i < all.size(); i += CHUNK) {
      out.add(all.subList(i, Math.min(all.size(), i + CHUNK)));
    }
    return out;
  }

  private static FileCve later(FileCve a, FileCve b) {
    if (a.curatedAt() == null) {
      return b;
    }
    return b.curatedAt() != null && b.curatedAt().isAfter(a.curatedAt()) ? b : a;
  }
}
