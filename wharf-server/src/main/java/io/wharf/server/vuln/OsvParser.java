package io.wharf.server.vuln;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.error.WharfException;
import io.wharf.server.vuln.AffectedRange.Kind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads one OSV record (ossf/osv-schema). Only the PyPI ecosystem is matched: conda has no OSV ecosystem,
 * so Python packages are reached through their PyPI names. ECOSYSTEM and SEMVER ranges become intervals
 * (each {@code introduced} up to the next {@code fixed}, exclusive, or {@code last_affected}, inclusive);
 * GIT ranges name commits and are skipped; the enumerated {@code versions} are kept only when an entry has
 * no such range, since the PyPA database derives them from its ranges.
 */
final class OsvParser {
  private OsvParser() {}

  static boolean looksLikeOsv(JsonNode n) {
    return n.isObject() && n.hasNonNull("id") && n.hasNonNull("modified");
  }

  static VulnRecord parse(JsonNode n) {
    String id = text(n, "id");
    if (id == null || !n.hasNonNull("modified")) {
      throw WharfException.invalid("bad_record", "an OSV record needs 'id' and 'modified'");
    }
    List<String> aliases = new ArrayList<>();
    n.path("aliases").forEach(a -> aliases.add(a.asText()));
    String cveId = id.startsWith("CVE-") ? id
        : aliases.stream().filter(a -> a.startsWith("CVE-")).findFirst().orElse(id);
    String summary = text(n, "summary") != null ? text(n, "summary") : text(n, "details");
    List<String> refs = new ArrayList<>();
    n.path("references").forEach(r -> refs.add(r.path("url").asText()));
    List<CvssVector> vectors = new ArrayList<>();
    n.path("severity").forEach(s -> {
      if (s.path("type").asText().startsWith("CVSS_")) {
        vectors.add(CvssVector.of(s.path("score").asText()));
      }
    });
    List<AffectedRange> ranges = new ArrayList<>();
    if (!n.hasNonNull("withdrawn")) { // a withdrawn advisory is kept but affects nothing (OSV schema)
      n.path("affected").forEach(a -> ranges.addAll(affected(a)));
    }
    Instant modified = Timestamps.parse(text(n, "modified"), "modified", id);
    return new VulnRecord(id, cveId, VulnRecord.Source.OSV, aliases, summary,
        Timestamps.parse(text(n, "published"), "published", id), modified, refs, vectors, ranges);
  }

  private static List<AffectedRange> affected(JsonNode a) {
    JsonNode pkg = a.path("package");
    if (!"PyPI".equals(pkg.path("ecosystem").asText())) {
      return List.of();
    }
    String name = PypiNames.normalise(pkg.path("name").asText());
    List<AffectedRange> out = new ArrayList<>();
    for (JsonNode r : a.path("ranges")) {
      String type = r.path("type").asText();
      if (type.equals("ECOSYSTEM") || type.equals("SEMVER")) {
        out.addAll(intervals(name, r.path("events")));
      }
    }
    if (out.isEmpty()) {
      a.path("versions").forEach(v -> out.add(AffectedRange.exact(Kind.PYPI, name, v.asText())));
    }
    return out;
  }

  /** Events in version order, as the OSV schema asks evaluators to sort them ("0" is before all). */
  private static List<AffectedRange> intervals(String name, JsonNode events) {
    List<Map.Entry<String, String>> sorted = new ArrayList<>();
    events.forEach(e -> e.fields().forEachRemaining(f -> sorted.add(Map.entry(f.getKey(), f.getValue().asText()))));
    sorted.sort((x, y) -> x.getValue().equals("0") ? (y.getValue().equals("0") ? 0 : -1)
        : y.getValue().equals("0") ? 1 : Pep440.compare(x.getValue(), y.getValue()));
    List<AffectedRange> out = new ArrayList<>();
    String start = null;
    boolean open = false;
    for (Map.Entry<String, String> e : sorted) {
      switch (e.getKey().toLowerCase(Locale.ROOT)) {
        case "introduced" -> {
          if (!open) {
            start = e.getValue().equals("0") ? null : e.getValue();
            open = true;
          }
        }
        case "fixed", "limit" -> {
          if (open) {
            out.add(new AffectedRange(Kind.PYPI, name, null, start, true, e.getValue(), false));
            open = false;
          }
        }
        case "last_affected" -> {
          if (open) {
            out.add(new AffectedRange(Kind.PYPI, name, null, start, true, e.getValue(), true));
            open = false;
          }
        }
        default -> { }
      }
    }
    if (open) {
      out.add(new AffectedRange(Kind.PYPI, name, null, start, true, null, false));
    }
    return out;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
