package io.wharf.server.vuln.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.server.db.Database;
import io.wharf.server.vuln.AffectedRange;
import io.wharf.server.vuln.CvssVector;
import io.wharf.server.vuln.Severity;
import io.wharf.server.vuln.VulnRecord;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Stores imported records. A record whose {@code modified} is not later than the stored one's changes
 * nothing, so importing the same data twice is a no-op; a later one replaces its vectors and ranges in
 * place. The CVE row it is filed under merges what all its records say and takes the best score of all
 * their vectors.
 */
public final class JdbcCveRecords {
  public enum Outcome { ADDED, UPDATED, UNCHANGED }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
  private final Jdbi jdbi;

  public JdbcCveRecords(Database db) {
    this.jdbi = db.jdbi();
  }

  public Outcome store(VulnRecord r) {
    return jdbi.inTransaction(h -> {
      Optional<Long> stored = h.createQuery("SELECT modified FROM cve_records WHERE record_id = :id")
          .bind("id", r.recordId()).mapTo(Long.class).findOne();
      if (stored.isPresent() && stored.get() >= r.modified().toEpochMilli()) {
        return Outcome.UNCHANGED;
      }
      mergeCve(h, r);
      h.createUpdate("DELETE FROM cve_records WHERE record_id = :id").bind("id", r.recordId()).execute();
      h.createUpdate("INSERT INTO cve_records (record_id, cve_id, source, modified) VALUES (:r, :c, :s, :m)")
          .bind("r", r.recordId()).bind("c", r.cveId()).bind("s", r.source().name())
          .bind("m", r.modified().toEpochMilli()).execute();
      for (CvssVector v : r.vectors()) {
        h.createUpdate("INSERT INTO cve_vectors (record_id, cvss_version, vector, base_score)"
                + " VALUES (:r, :version, :vector, :score)")
            .bind("r", r.recordId()).bind("version", v.version()).bind("vector", v.vector())
            .bind("score", v.baseScore()).execute();
      }
      for (AffectedRange a : r.ranges()) {
        h.createUpdate("INSERT INTO cve_ranges (record_id, kind, package, exact_version, start_version,"
                + " start_inclusive, end_version, end_inclusive) VALUES (:r, :kind, :pkg, :exact, :start, :si, :end, :ei)")
            .bind("r", r.recordId()).bind("kind", a.kind().name()).bind("pkg", a.pkg()).bind("exact", a.exact())
            .bind("start", a.start()).bind("si", a.startInclusive() ? 1 : 0).bind("end", a.end())
            .bind("ei", a.endInclusive() ? 1 : 0).execute();
      }
      rescore(h, r.cveId());
      return stored.isPresent() ? Outcome.UPDATED : Outcome.ADDED;
    });
  }

  private static void mergeCve(Handle h, VulnRecord r) {
    Optional<Map<String, Object>> row = h.createQuery(
            "SELECT aliases_json, summary, published, modified, refs_json FROM cves WHERE id = :id")
        .bind("id", r.cveId()).mapToMap().findOne();
    Set<String> aliases = new LinkedHashSet<>();
    Set<String> refs = new LinkedHashSet<>();
    String summary = r.summary();
    Long published = r.published() == null ? null : r.published().toEpochMilli();
    long modified = r.modified().toEpochMilli();
    if (row.isPresent()) {
      Map<String, Object> m = row.get();
      aliases.addAll(strings((String) m.get("aliases_json")));
      refs.addAll(strings((String) m.get("refs_json")));
      if (m.get("summary") != null && r.source() == VulnRecord.Source.OSV) {
        summary = (String) m.get("summary"); // NVD's description wins over an advisory's
      }
      Long was = m.get("published") == null ? null : ((Number) m.get("published")).longValue();
      published = was == null ? published : published == null ? was : Math.min(was, published);
      modified = Math.max(modified, ((Number) m.get("modified")).longValue());
    }
    aliases.add(r.recordId());
    aliases.addAll(r.aliases());
    aliases.remove(r.cveId());
    refs.addAll(r.references());
    String sql = row.isPresent()
        ? "UPDATE cves SET aliases_json = :aliases, summary = :summary, published = :published,"
            + " modified = :modified, refs_json = :refs WHERE id = :id"
        : "INSERT INTO cves (id, aliases_json, summary, published, modified, refs_json, severity)"
            + " VALUES (:id, :aliases, :summary, :published, :modified, :refs, NULL)";
    h.createUpdate(sql).bind("id", r.cveId()).bind("aliases", json(aliases)).bind("summary", summary)
        .bind("published", published).bind("modified", modified).bind("refs", json(refs)).execute();
  }

  private static void rescore(Handle h, String cveId) {
    List<CvssVector> vectors = h.createQuery("SELECT v.cvss_version, v.vector, v.base_score FROM cve_vectors v"
            + " JOIN cve_records r ON r.record_id = v.record_id WHERE r.cve_id = :id")
        .bind("id", cveId)
        .map((rs, ctx) -> new CvssVector(rs.getString(1), rs.getString(2), rs.getDouble(3))).list();
    Optional<CvssVector> best = CvssVector.best(vectors);
    h.createUpdate("UPDATE cves SET score = :score, score_version = :version, severity = :severity WHERE id = :id")
        .bind("id", cveId).bind("score", best.map(CvssVector::baseScore).orElse(null))
        .bind("version", best.map(CvssVector::version).orElse(null))
        .bind("severity", best.map(v -> Severity.of(v.baseScore()).name()).orElse(null)).execute();
  }

  static List<String> strings(String json) {
    try {
      return json == null ? List.of() : JSON.readValue(json, STRINGS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored list is not JSON", e);
    }
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static Instant instant(Object millis) {
    return millis == null ? null : Instant.ofEpochMilli(((Number) millis).longValue());
  }
}
