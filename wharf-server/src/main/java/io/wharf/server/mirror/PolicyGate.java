package io.wharf.server.mirror;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.mirror.policy.Candidate;
import io.wharf.server.mirror.policy.Decision;
import io.wharf.server.mirror.policy.JdbcPolicies;
import io.wharf.server.mirror.policy.PolicyEvaluator;
import io.wharf.server.vuln.CveSummary;
import io.wharf.server.vuln.FileCve;
import io.wharf.server.vuln.jdbc.JdbcRecordCves;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A mirror's policy applied to the records of one upstream listing. A record's CVEs are those of the stored
 * file with the same bytes (its links and their curation, wherever on this server it is stored), else
 * those the CVE data implies for its name and version, all Reported: so a file never taken in is kept out
 * by an import, and curating a copy of it (in this mirror's label or a review channel) lets it in.
 */
final class PolicyGate {
  private final JdbcPolicies.Attached attached;
  private final PolicyEvaluator evaluator;
  private final JdbcRecordCves cves;

  PolicyGate(JdbcPolicies.Attached attached, JdbcRecordCves cves, Instant now) {
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

  /**
   * When the policy includes dependencies, reads every mirrored subdir's listing first, since a record's
   * dependencies may be in another subdir (noarch) than the one judged at the time.
   */
  void prepare(Upstream upstream, List<String> subdirs) {
    io.wharf.server.mirror.policy.PolicyFilters f = attached.policy().filters();
    if (!f.includeDependencies() || f.include().isEmpty()) {
      return;
    }
    List<Candidate> everything = new ArrayList<>();
    for (String subdir : subdirs) {
      Upstream.Repodata rd = upstream.repodata(subdir, JdbcMirrors.Validators.NONE);
      if (rd.absent()) {
        continue;
      }
      for (String key : List.of("packages", "packages.conda")) {
        rd.body().path(key).fields().forEachRemaining(e -> {
          if (e.getValue().isObject()) {
            everything.add(candidate(new UpstreamRecord(subdir, e.getKey(),
                (com.fasterxml.jackson.databind.node.ObjectNode) e.getValue(), null, null, null, null, null), List.of()));
          }
        });
      }
    }
    evaluator.withClosureOver(everything);
  }

  /** One decision per record, in order; the CVEs of all of them are read in a few queries. */
  List<Decision> judge(List<UpstreamRecord> records) {
    List<String> shas = new ArrayList<>();
    List<Map.Entry<String, String>> unstored = new ArrayList<>();
    records.forEach(r -> shas.add(sha(r)));
    Map<String, List<FileCve>> stored = cves.forStoredBytes(shas);
    for (UpstreamRecord r : records) {
      if (!stored.containsKey(sha(r))) {
        unstored.add(Map.entry(r.record().path("name").asText(""), r.record().path("version").asText("")));
      }
    }
    Map<String, List<FileCve>> implied = cves.forUnstored(unstored);
    List<Candidate> candidates = new ArrayList<>(records.size());
    for (UpstreamRecord r : records) {
      JsonNode rec = r.record();
      List<FileCve> links = stored.containsKey(sha(r)) ? stored.get(sha(r))
          : implied.getOrDefault(rec.path("name").asText("") + " " + rec.path("version").asText(""), List.of());
      candidates.add(candidate(r, links));
    }
    return evaluator.evaluate(candidates);
  }

  private static String sha(UpstreamRecord r) {
    return r.record().path("sha256").asText("").toLowerCase(Locale.ROOT);
  }

  private static Candidate candidate(UpstreamRecord r, List<FileCve> links) {
    JsonNode rec = r.record();
    JsonNode ts = rec.get("timestamp");
    return new Candidate(r.subdir(), r.filename(), rec.path("name").asText(""), rec.path("version").asText(""),
        rec.path("build").asText(""), text(rec, "license_family"), text(rec, "license"),
        Candidate.timestampMillis(ts != null && ts.canConvertToLong() ? ts.asLong() : null), r.signatures() != null,
        CveSummary.of(links), depends(rec));
  }

  private static List<String> depends(JsonNode rec) {
    List<String> out = new ArrayList<>();
    rec.path("depends").forEach(d -> out.add(d.asText()));
    return out;
  }

  private static String text(JsonNode rec, String field) {
    JsonNode v = rec.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
