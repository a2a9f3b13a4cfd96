package io.wharf.server.search;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One search request. {@code channelIds} are the channels the caller may read (none means no results);
 * a blank {@code text} browses every package by name. {@code page} counts from 1.
 */
public record SearchQuery(String text, Set<Long> channelIds, Optional<String> subdir, Optional<String> licenseFamily,
    int page, int pageSize) {
  public static final int MAX_PAGE_SIZE = 100;

  public SearchQuery {
    text = text == null ? "" : text;
    channelIds = Set.copyOf(Objects.requireNonNull(channelIds, "channelIds"));
    subdir = subdir == null ? Optional.empty() : subdir;
    licenseFamily = licenseFamily == null ? Optional.empty() : licenseFamily;
    if (page < 1) {
      throw new IllegalArgumentException("page must be 1 or more, not " + page);
    }
    if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      throw new IllegalArgumentException("pageSize must be between 1 and " + MAX_PAGE_SIZE + ", not " + pageSize);
    }
  }
}
