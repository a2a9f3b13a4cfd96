package io.wharf.server.search;

import java.time.Instant;

/** How many package names a channel holds, and when the newest of their files arrived. */
public record ChannelSummary(long packageCount, Instant lastUpload) {}
