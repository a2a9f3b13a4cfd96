package io.wharf.server.mirror;

import java.time.Instant;

/**
 * One run of a mirror as its history shows it. {@code finishedAt} is null while it runs; {@code jobId} names
 * the background job that ran it (null for a run made before runs were jobs); {@code excluded} counts the
 * records the mirror's policy kept out, per filter (empty without a policy or before it was recorded).
 */
public record MirrorRunView(long id, long mirrorId, Instant startedAt, Instant finishedAt, String status, long files,
    long bytes, long errors, long removed, String message, Long jobId, java.util.Map<String, Long> excluded) {

  /** How many records the policy kept out in all. */
  public long excludedTotal() {
    return excluded.values().stream().mapToLong(Long::longValue).sum();
  }
}
