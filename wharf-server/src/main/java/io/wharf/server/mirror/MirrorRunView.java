package io.wharf.server.mirror;

import java.time.Instant;

/**
 * One run of a mirror as its history shows it. {@code finishedAt} is null while it runs; {@code jobId} names
 * the background job that ran it (null for a run made before runs were jobs).
 */
public record MirrorRunView(long id, long mirrorId, Instant startedAt, Instant finishedAt, String status, long files,
    long bytes, long errors, long removed, String message, Long jobId) {}
