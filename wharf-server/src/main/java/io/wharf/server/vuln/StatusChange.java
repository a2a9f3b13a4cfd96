package io.wharf.server.vuln;

import java.time.Instant;

/** One curation of a CVE on one file, as kept in the status history. */
public record StatusChange(long channelId, String label, String subdir, String filename, CveStatus status,
    Instant at, String curator, String note) {}
