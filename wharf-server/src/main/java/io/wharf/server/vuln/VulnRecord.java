package io.wharf.server.vuln;

import java.time.Instant;
import java.util.List;

/**
 * One imported vulnerability record, in the form both sources are reduced to. {@code cveId} is the row it is
 * filed under: its own id for NVD, the first CVE alias (else its own id) for OSV.
 */
public record VulnRecord(String recordId, String cveId, Source source, List<String> aliases, String summary,
    Instant published, Instant modified, List<String> references, List<CvssVector> vectors,
    List<AffectedRange> ranges) {

  public enum Source { OSV, NVD }

  public VulnRecord {
    aliases = List.copyOf(aliases);
    references = List.copyOf(references);
    vectors = List.copyOf(vectors);
    ranges = List.copyOf(ranges);
  }
}
