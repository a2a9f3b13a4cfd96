package io.wharf.server.mirror;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.mirror.policy.Candidate;
import io.wharf.server.mirror.policy.Decision;
import io.wharf.server.mirror.policy.JdbcPolicies;
import io.wharf.server.mirror.policy.PolicyEvaluator;
import io.wharf.server.vuln.CveSummary;
import io.wharf.server.vuln.FileCve;
import io.wharf.server.vuln.jdbc.JdbcCveMatches;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A mirror's policy applied to the records of one upstream listing. A record's CVEs are those of the stored
 * file with the same bytes (its links and their curation, wherever on this server it is stored), else
 * those the CVE data implies for its name and version, all Reported: so a file never taken in is kept out
 * by an import, and curating a copy of it (in this mirror's label or a review channel) lets it in.
 */
final class PolicyGate {
  private final JdbcPolicies.Attached attached;
  private final PolicyEvaluator evaluator;
  private final JdbcCveMatches cves;

  PolicyGate(JdbcPolicies.Attached attached, JdbcCveMatches cves, Instant now) {
    this.attached = attached;
    this.evaluator = new PolicyEvaluator(attached.policy().filters(), now);
    this.cves = cves;
  }

  String policyName() {
    return attached.policy().name();
  }

  boolean removeExcluded() {
    return attached.removeExcluded();
  }

  /** One decision per record, in order. */
  List<Decision> judge(List<UpstreamRecord> records) {
    List<Candidate> candidates = new ArrayList<>(records.size());
    for (UpstreamRecord r : records) {
      candidates.add(candidate(r));
    }
    return evaluator.evaluate(candidates);
  }

  private Candidate candidate(UpstreamRecord r) {
    JsonNode rec = r.record();
    String name = rec.path("name").asText("");
    String version = rec.path("version").asText("");
    String sha = rec.path("sha256").asText("").toLowerCase(java.util.Locale.ROOT);
    List<FileCve> links = cves.forBytes(sha).orElseGet(() -> cves.forUnstored(name, version));
    JsonNode ts = rec.get("timestamp");
    return new Candidate(r.subdir(), r.filename(), name, version, rec.path("build").asText(""),
        text(rec, "license_family"), text(rec, "license"),
        Candidate.timestampMillis(ts != null && ts.canConvertToLong() ? ts.asLong() : null), r.signatures() != null,
        CveSummary.of(links));
  }

  private static String text(JsonNode rec, String field) {
    JsonNode v = rec.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
