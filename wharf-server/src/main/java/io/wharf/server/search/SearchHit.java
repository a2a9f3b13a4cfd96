package io.wharf.server.search;

import java.util.List;

/** One package (a name in a channel) in a result page, with the best way it matched. */
public record SearchHit(long channelId, String name, String latestVersion, String summary, List<String> subdirs,
    List<String> licenseFamilies, long fileCount, java.time.Instant updatedAt, MatchKind kind) {

  public SearchHit {
    subdirs = List.copyOf(subdirs);
    licenseFamilies = List.copyOf(licenseFamilies);
  }
}
