package io.wharf.server.vuln;

import java.time.Instant;
import java.util.List;

/**
 * A CVE as listed: its own facts, how many of the caller's files it is linked to, their worst status and
 * when one of those links was last curated (null if never).
 */
public record CveView(String id, List<String> aliases, String summary, Instant published, Instant modified,
    Double score, String scoreVersion, String severity, int files, CveStatus status, Instant curated) {}
