package io.wharf.server.vuln.jdbc;

import io.wharf.server.db.Database;
import io.wharf.server.vuln.CveDetail;
import io.wharf.server.vuln.CveQuery;
import io.wharf.server.vuln.CveStatus;
import io.wharf.server.vuln.CveView;
import io.wharf.server.vuln.CvssVector;
import io.wharf.server.vuln.FileCve;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/** Reads CVEs for listings and detail views, limited to files in the channels a caller may read. */
public final class JdbcCveQueries {
  private final Jdbi jdbi;

  public JdbcCveQueries(Database db) {
    this.jdbi = db.jdbi();
  }

  /** One page, by CVE id; {@code limit + 1} rows are read so the caller knows whether more follow. */
  public List<CveView> list(CveQuery q) {
    if (q.channelIds().isEmpty()) {
      return List.of();
    }
    Map<String, Object> binds = new LinkedHashMap<>();
    StringBuilder where = where(q, binds, true);
    if (q.after() != null) {
      where.append(" AND c.id > :after");
      binds.put("after", q.after());
    }
    return jdbi.withHandle(h -> {
      Query query = h.createQuery("SELECT c.id, c.aliases_json, c.summary, c.published, c.modified, c.score,"
              + " c.score_version, c.severity, COUNT(DISTINCT m.file_id) AS files, MIN(" + statusRank("m.status")
              + ") AS worst, MAX(m.curated_at) AS curated FROM cves c JOIN cve_matches m ON m.cve_id = c.id"
              + " JOIN package_files f ON f.id = m.file_id WHERE " + where + " GROUP BY c.id, c.aliases_json,"
              + " c.summary, c.published, c.modified, c.score, c.score_version, c.severity" + having(q, binds)
              + " ORDER BY c.id LIMIT :limit")
          .bindList("channels", List.copyOf(q.channelIds())).bind("limit", q.limit() + 1);
      binds.forEach(query::bind);
      return query.map((rs, ctx) -> view(rs, rs.getInt("files"), CveStatus.values()[rs.getInt("worst")],
          JdbcCveRecords.instant(rs.getObject("curated")))).list();
    });
  }

  /**
   * For each status, how many packages (a name in a channel, among {@code channelIds} and the package filter)
   * have a file linked with that status to one of the CVEs the query lists, every filter applied but the
   * status itself and the paging: the counts a status choice offers. Statuses no package has are absent.
   */
  public Map<CveStatus, Integer> packagesByStatus(CveQuery q) {
    Map<CveStatus, Integer> out = new java.util.EnumMap<>(CveStatus.class);
    if (q.channelIds().isEmpty()) {
      return out;
    }
    Map<String, Object> binds = new LinkedHashMap<>();
    StringBuilder where = where(q, binds, false);
    String listed = "SELECT c.id FROM cves c JOIN cve_matches m ON m.cve_id = c.id JOIN package_files f"
        + " ON f.id = m.file_id WHERE " + where + " GROUP BY c.id" + having(q, binds);
    jdbi.useHandle(h -> {
      Query query = h.createQuery("SELECT p.status, COUNT(*) FROM (SELECT DISTINCT m2.status, f2.channel_id,"
              + " f2.name FROM cve_matches m2 JOIN package_files f2 ON f2.id = m2.file_id WHERE f2.channel_id IN"
              + " (<channels>)" + (q.packageName() == null ? "" : " AND f2.name = :name")
              + (q.fileId() == null ? "" : " AND f2.id = :file") + " AND m2.cve_id IN ("
              + listed + ")) p GROUP BY p.status")
          .bindList("channels", List.copyOf(q.channelIds()));
      binds.forEach(query::bind);
      query.map((rs, ctx) -> Map.entry(CveStatus.valueOf(rs.getString(1)), rs.getInt(2)))
          .forEach(e -> out.put(e.getKey(), e.getValue()));
    });
    return out;
  }

  private static StringBuilder where(CveQuery q, Map<String, Object> binds, boolean withStatus) {
    StringBuilder where = new StringBuilder("f.channel_id IN (<channels>)");
    if (q.packageName() != null) {
      where.append(" AND f.name = :name");
      binds.put("name", q.packageName());
    }
    if (q.fileId() != null) {
      where.append(" AND f.id = :file");
      binds.put("file", q.fileId());
    }
    if (withStatus && q.status() != null) {
      where.append(" AND m.status = :status");
      binds.put("status", q.status().name());
    }
    if (q.minScore() != null) {
      where.append(" AND c.score >= :min");
      binds.put("min", q.minScore());
    }
    if (q.maxScore() != null) {
      where.append(" AND c.score <= :max");
      binds.put("max", q.maxScore());
    }
    if (q.idContains() != null) {
      where.append(" AND (upper(c.id) LIKE :id OR upper(c.aliases_json) LIKE :id)");
      binds.put("id", "%" + q.idContains().toUpperCase(java.util.Locale.ROOT) + "%");
    }
    range(where, binds, "c.published", "published", q.publishedFrom(), q.publishedTo());
    range(where, binds, "c.modified", "modified", q.modifiedFrom(), q.modifiedTo());
    return where;
  }

  /** The CVE filed under this id, or whose imported record has this id (an OSV id such as PYSEC-...). */
  public Optional<CveDetail> find(String id, Set<Long> channelIds) {
    return jdbi.withHandle(h -> {
      String cveId = h.createQuery("SELECT id FROM cves WHERE id = :id UNION SELECT cve_id FROM cve_records"
              + " WHERE record_id = :id").bind("id", id).mapTo(String.class).findFirst().orElse(null);
      if (cveId == null) {
        return Optional.<CveDetail>empty();
      }
      List<CveDetail.LinkedFile> files = files(h, cveId, channelIds);
      CveStatus worst = files.stream().map(f -> f.link().status()).min(Enum::compareTo).orElse(null);
      java.time.Instant curated = files.stream().map(f -> f.link().curatedAt()).filter(java.util.Objects::nonNull)
          .max(java.util.Comparator.naturalOrder()).orElse(null);
      CveView view = h.createQuery("SELECT id, aliases_json, summary, published, modified, score, score_version,"
              + " severity FROM cves WHERE id = :id").bind("id", cveId)
          .map((rs, ctx) -> view(rs, files.size(), worst, curated)).one();
      List<CvssVector> vectors = h.createQuery("SELECT v.cvss_version, v.vector, v.base_score FROM cve_vectors v"
              + " JOIN cve_records r ON r.record_id = v.record_id WHERE r.cve_id = :id ORDER BY v.cvss_version DESC,"
              + " v.vector").bind("id", cveId)
          .map((rs, ctx) -> new CvssVector(rs.getString(1), rs.getString(2), rs.getDouble(3))).list();
      List<String> refs = JdbcCveRecords.strings(h.createQuery("SELECT refs_json FROM cves WHERE id = :id")
          .bind("id", cveId).mapTo(String.class).one());
      return Optional.of(new CveDetail(view, vectors, refs, files));
    });
  }

  /** The curations of a CVE on the files of {@code channelIds}, newest first. */
  public List<io.wharf.server.vuln.StatusChange> history(String cveId, Set<Long> channelIds) {
    if (channelIds.isEmpty()) {
      return List.of();
    }
    return jdbi.withHandle(h -> h.createQuery("SELECT f.channel_id, f.label, f.subdir, f.filename, s.status, s.at,"
            + " s.curator, s.note FROM cve_status_history s JOIN package_files f ON f.id = s.file_id"
            + " WHERE s.cve_id = :id AND f.channel_id IN (<channels>) ORDER BY s.id DESC")
        .bind("id", cveId).bindList("channels", List.copyOf(channelIds))
        .map((rs, ctx) -> new io.wharf.server.vuln.StatusChange(rs.getLong(1), rs.getString(2), rs.getString(3),
            rs.getString(4), CveStatus.valueOf(rs.getString(5)), JdbcCveRecords.instant(rs.getObject(6)),
            rs.getString(7), rs.getString(8)))
        .list());
  }

  private static List<CveDetail.LinkedFile> files(Handle h, String cveId, Set<Long> channelIds) {
    if (channelIds.isEmpty()) {
      return List.of();
    }
    List<CveDetail.LinkedFile> out = new ArrayList<>();
    h.createQuery("SELECT f.channel_id, f.label, f.subdir, f.filename, f.name, f.version, c.score, c.score_version,"
            + " c.severity, m.status, m.curated_at, m.curator, m.note FROM cve_matches m"
            + " JOIN package_files f ON f.id = m.file_id JOIN cves c ON c.id = m.cve_id"
            + " WHERE m.cve_id = :id AND f.channel_id IN (<channels>) ORDER BY f.channel_id, f.label, f.subdir, f.filename")
        .bind("id", cveId).bindList("channels", List.copyOf(channelIds))
        .map((rs, ctx) -> new CveDetail.LinkedFile(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getString(5), rs.getString(6), new FileCve(cveId, score(rs, 7), rs.getString(8), rs.getString(9),
                CveStatus.valueOf(rs.getString(10)), JdbcCveRecords.instant(rs.getObject(11)), rs.getString(12),
                rs.getString(13))))
        .forEach(out::add);
    return out;
  }

  /** SQL giving a status's position in {@link CveStatus}, most severe first, so MIN picks the worst. */
  private static String statusRank(String column) {
    StringBuilder s = new StringBuilder("CASE " + column);
    for (CveStatus st : CveStatus.values()) {
      s.append(" WHEN '").append(st.name()).append("' THEN ").append(st.ordinal());
    }
    return s.append(" END").toString();
  }

  private static void range(StringBuilder where, Map<String, Object> binds, String column, String name,
      java.time.Instant from, java.time.Instant to) {
    if (from != null) {
      where.append(" AND ").append(column).append(" >= :").append(name).append("_from");
      binds.put(name + "_from", from.toEpochMilli());
    }
    if (to != null) {
      where.append(" AND ").append(column).append(" < :").append(name).append("_to");
      binds.put(name + "_to", to.toEpochMilli());
    }
  }

  /** The curated range applies to a CVE's latest curation among the caller's links, so it filters groups. */
  private static String having(CveQuery q, Map<String, Object> binds) {
    StringBuilder h = new StringBuilder();
    if (q.curatedFrom() != null) {
      h.append(" AND MAX(m.curated_at) >= :curated_from");
      binds.put("curated_from", q.curatedFrom().toEpochMilli());
    }
    if (q.curatedTo() != null) {
      h.append(" AND MAX(m.curated_at) < :curated_to");
      binds.put("curated_to", q.curatedTo().toEpochMilli());
    }
    return h.length() == 0 ? "" : " HAVING" + h.substring(4);
  }

  private static CveView view(ResultSet rs, int files, CveStatus worst, java.time.Instant curated)
      throws SQLException {
    return new CveView(rs.getString("id"), JdbcCveRecords.strings(rs.getString("aliases_json")),
        rs.getString("summary"), JdbcCveRecords.instant(rs.getObject("published")),
        JdbcCveRecords.instant(rs.getObject("modified")), score(rs, rs.findColumn("score")),
        rs.getString("score_version"), rs.getString("severity"), files, worst, curated);
  }

  static Double score(ResultSet rs, int column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }
}
