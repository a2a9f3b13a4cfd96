package io.wharf.server.search;

import java.util.List;

/** One page of ranked hits; {@code total} counts every hit of the query (see {@link SearchRepository}). */
public record SearchPage(List<SearchHit> hits, long total, int page, int pageSize) {

  public SearchPage {
    hits = List.copyOf(hits);
  }
}
