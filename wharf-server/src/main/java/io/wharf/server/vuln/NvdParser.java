package io.wharf.server.vuln;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.error.WharfException;
import io.wharf.server.vuln.AffectedRange.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads NVD CVE API 2.0 records: the {@code cve} object itself, an API response or a yearly feed file
 * ({@code vulnerabilities[].cve}). Every {@code cvssMetricV2/V30/V31/V40} vector is kept and scored.
 * Matching is loose on purpose: each vulnerable application CPE ({@code cpe:2.3:a:vendor:product:...}) of any
 * configuration becomes a range, and AND-ed platform conditions (the operating systems a library runs on)
 * are not required, since a conda package brings the library itself.
 */
final class NvdParser {
  private static final List<String> METRICS = List.of("cvssMetricV40", "cvssMetricV31", "cvssMetricV30",
      "cvssMetricV2");

  private NvdParser() {}

  static boolean looksLikeNvd(JsonNode n) {
    return n.has("vulnerabilities") || (n.hasNonNull("id") && n.has("lastModified"));
  }

  /** The records of a document, or of one record. */
  static List<JsonNode> records(JsonNode n) {
    if (!n.has("vulnerabilities")) {
      return List.of(n);
    }
    List<JsonNode> out = new ArrayList<>();
    n.path("vulnerabilities").forEach(v -> out.add(v.has("cve") ? v.get("cve") : v));
    return out;
  }

  static VulnRecord parse(JsonNode cve) {
    String id = cve.path("id").asText(null);
    if (id == null || !cve.hasNonNull("lastModified")) {
      throw WharfException.invalid("bad_record", "an NVD record needs 'id' and 'lastModified'");
    }
    String summary = null;
    for (JsonNode d : cve.path("descriptions")) {
      if (summary == null || "en".equals(d.path("lang").asText())) {
        summary = d.path("value").asText();
        if ("en".equals(d.path("lang").asText())) {
          break;
        }
      }
    }
    List<CvssVector> vectors = new ArrayList<>();
    for (String metric : METRICS) {
      for (JsonNode m : cve.path("metrics").path(metric)) {
        String vector = m.path("cvssData").path("vectorString").asText(null);
        if (vector != null && vectors.stream().noneMatch(v -> v.vector().equals(vector))) {
          vectors.add(CvssVector.of(vector));
        }
      }
    }
    List<String> refs = new ArrayList<>();
    cve.path("references").forEach(r -> refs.add(r.path("url").asText()));
    List<AffectedRange> ranges = new ArrayList<>();
    // A rejected CVE ("vulnStatus": "Rejected") is kept for its history but matches nothing.
    JsonNode configurations = "Rejected".equals(cve.path("vulnStatus").asText()) ? null : cve.path("configurations");
    for (JsonNode config : configurations == null ? List.<JsonNode>of() : configurations) {
      for (JsonNode node : config.path("nodes")) {
        if (node.path("negate").asBoolean(false)) {
          continue;
        }
        for (JsonNode match : node.path("cpeMatch")) {
          AffectedRange r = match.path("vulnerable").asBoolean(false) ? range(match) : null;
          if (r != null && !ranges.contains(r)) {
            ranges.add(r);
          }
        }
      }
    }
    return new VulnRecord(id, id, VulnRecord.Source.NVD, List.of(), summary,
        Timestamps.parse(cve.path("published").asText(null), "published", id),
        Timestamps.parse(cve.path("lastModified").asText(), "lastModified", id), refs, vectors, ranges);
  }

  /** CPE 2.3 formatted string: cpe:2.3:part:vendor:product:version:...; backslashes quote special characters. */
  private static AffectedRange range(JsonNode match) {
    String[] parts = match.path("criteria").asText().split("(?<!\\\\):");
    if (parts.length < 6 || !parts[0].equals("cpe") || !parts[2].equals("a")) {
      return null;
    }
    String pkg = unquote(parts[3]) + ":" + unquote(parts[4]);
    String version = unquote(parts[5]);
    String startIn = match.path("versionStartIncluding").asText(null);
    String startEx = match.path("versionStartExcluding").asText(null);
    String endIn = match.path("versionEndIncluding").asText(null);
    String endEx = match.path("versionEndExcluding").asText(null);
    if (startIn != null || startEx != null || endIn != null || endEx != null) {
      return new AffectedRange(Kind.CPE, pkg, null, startIn != null ? startIn : startEx, startEx == null,
          endIn != null ? endIn : endEx, endIn != null);
    }
    if (version.equals("-")) {
      return null; // "not applicable": the product has no versions to match
    }
    return version.equals("*") ? new AffectedRange(Kind.CPE, pkg, null, null, true, null, false)
        : AffectedRange.exact(Kind.CPE, pkg, version);
  }

  private static String unquote(String s) {
    return s.replace("\\", "");
  }
}
