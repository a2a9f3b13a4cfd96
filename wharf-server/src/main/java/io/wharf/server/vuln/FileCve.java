package io.wharf.server.vuln;

import java.time.Instant;

/** One CVE linked to one package file: the CVE's best score and the link's curation. */
public record FileCve(String cveId, Double score, String scoreVersion, String severity, CveStatus status,
    Instant curatedAt, String curator, String note) {}
