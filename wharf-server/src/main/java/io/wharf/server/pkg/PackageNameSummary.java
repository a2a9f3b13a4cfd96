package io.wharf.server.pkg;

import java.time.Instant;

/** A package name in a channel, with how many files carry it and when the newest arrived. */
public record PackageNameSummary(String name, long fileCount, Instant lastUpload) {}
