package io.wharf.server.vuln;

import java.time.Instant;
import java.util.Set;

/**
 * Which CVEs a listing shows: those linked to a file in one of {@code channelIds} (the channels the caller
 * may read) that passes every filter given (null: no filter). Ranges include their start and exclude their
 * end. {@code modified*} is the CVE's last modification; {@code curated*} is when one of its links was last
 * curated (a CVE never curated has no curated date, so a curated range leaves it out). {@code after} is the
 * last CVE id of the previous page.
 */
public record CveQuery(Set<Long> channelIds, String packageName, Double minScore, Double maxScore,
    CveStatus status, String idContains, Instant publishedFrom, Instant publishedTo, Instant modifiedFrom,
    Instant modifiedTo, Instant curatedFrom, Instant curatedTo, String after, int limit) {

  public CveQuery {
    channelIds = Set.copyOf(channelIds);
  }
}
