package io.wharf.server.vuln;

import java.time.Instant;
import java.util.Set;

/**
 * Which CVEs a listing shows: those linked to a file in one of {@code channelIds} (the channels the caller
 * may read) that passes every filter given (null: no filter). Ranges include their start and exclude their
 * end. {@code modified*} is the CVE's last modification; {@code curated*} is when one of its links was last
 * curated (a CVE never curated has no curated date, so a curated range leaves it out). {@code after} is the
 * last CVE id of the previous page. {@code fileId}, when given, keeps the links of that one file only (it must
 * be in one of {@code channelIds}).
 */
public record CveQuery(Set<Long> channelIds, String packageName, Double minScore, Double maxScore,
    CveStatus status, String idContains, Instant publishedFrom, Instant publishedTo, Instant modifiedFrom,
    Instant modifiedTo, Instant curatedFrom, Instant curatedTo, String after, int limit, Long fileId) {

  public CveQuery {
    channelIds = Set.copyOf(channelIds);
  }

  /** Without a file filter. */
  public CveQuery(Set<Long> channelIds, String packageName, Double minScore, Double maxScore, CveStatus status,
      String idContains, Instant publishedFrom, Instant publishedTo, Instant modifiedFrom, Instant modifiedTo,
      Instant curatedFrom, Instant curatedTo, String after, int limit) {
    this(channelIds, packageName, minScore, maxScore, status, idContains, publishedFrom, publishedTo, modifiedFrom,
        modifiedTo, curatedFrom, curatedTo, after, limit, null);
  }

  /** The same query limited to the links of one file. */
  public CveQuery withFile(Long file) {
    return new CveQuery(channelIds, packageName, minScore, maxScore, status, idContains, publishedFrom, publishedTo,
        modifiedFrom, modifiedTo, curatedFrom, curatedTo, after, limit, file);
  }
}
