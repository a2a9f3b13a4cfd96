package io.wharf.server.vuln;

import java.time.Instant;
import java.util.Set;

/**
 * Which CVEs a listing shows: those linked to a file in one of {@code channelIds} (the channels the caller
 * may read) that passes every filter given (null: no filter). {@code after} is the last CVE id of the
 * previous page.
 */
public record CveQuery(Set<Long> channelIds, String packageName, Double minScore, Double maxScore,
    CveStatus status, String idContains, Instant publishedFrom, Instant publishedTo, String after, int limit) {

  public CveQuery {
    channelIds = Set.copyOf(channelIds);
  }
}
