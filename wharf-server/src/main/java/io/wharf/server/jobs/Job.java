package io.wharf.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;

/**
 * One job as stored: what it is, who asked, its state and progress as last written by the node running it,
 * and once finished its result or error. {@code node} holds the lease (or held it last, once finished),
 * {@code leaseUntil} is when the lease runs out while the job runs.
 */
public record Job(long id, String kind, JsonNode params, JobState state, String createdBy, Long creatorId,
    Instant createdAt, Instant startedAt, Instant finishedAt, String phase, Map<String, Long> progress,
    JsonNode result, String errorCode, String errorMessage, int attempt, String node, Instant leaseUntil) {

  /** Whether {@code userId} (empty for the bootstrap token) created this job. */
  public boolean createdBy(java.util.Optional<Long> userId) {
    return creatorId != null && userId.isPresent() && creatorId.equals(userId.get());
  }
}
