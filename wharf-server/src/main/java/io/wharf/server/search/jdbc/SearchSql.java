package io.wharf.server.search.jdbc;

import io.wharf.server.search.*;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The lookups whose SQL differs between engines. Each returns rows of package_search {@code s} passing
 * {@code filters}, at most {@code limit} of them.
 */
interface SearchSql {
  /** How a WHERE clause names the channel column of {@code s}. */
  String channelColumn();

  /** A condition: the text in {@code column} contains the text bound to {@code param}. */
  String contains(String column, String param);

  /** Names containing {@code query} (lower-case) anywhere but at the start, ordered by name. */
  List<Candidate> nameSubstrings(Handle h, String query, Filters filters, int limit);

  /** Excludes names that start with the query: those are prefix matches, ranked before substrings. */
  String NOT_PREFIX = " AND substr(s.name_key, 1, :queryLength) <> :query";

  /**
   * {@link #nameSubstrings} by {@code LIKE '%query%'} over package_search (one row per package name):
   * PostgreSQL's trigram index serves it, SQLite falls back to it for queries too short for trigrams.
   */
  default List<Candidate> nameSubstringsByLike(Handle h, String query, Filters filters, int limit) {
    return filters.bind(h.createQuery("SELECT " + Candidate.COLUMNS + " FROM package_search s"
            + " WHERE s.name_key LIKE :pattern ESCAPE '!'" + NOT_PREFIX + filters.sql(this)
            + " ORDER BY " + Candidate.ORDER + " LIMIT :limit"))
        .bind("pattern", SearchTerms.likeContains(query))
        .bind("query", query)
        .bind("queryLength", SearchTerms.length(query))
        .bind("limit", limit)
        .map(Candidate::map)
        .list();
  }

  /**
   * Names containing at least one of {@code pieces} (lower-case, each at least three characters) within
   * their first {@code window} characters, with lengths in [minLength, maxLength], shortest first:
   * candidates for misspellings, checked by the caller.
   */
  List<Candidate> namesContainingAny(Handle h, List<String> pieces, int minLength, int maxLength, int window,
      Filters filters, int limit);

  /** A condition: one of the pieces bound as {@code :piece0} ... is within the first {@code :window} characters. */
  default String anyPieceWithin(int pieces) {
    StringBuilder any = new StringBuilder("(");
    for (int i = 0; i < pieces; i++) {
      any.append(i == 0 ? "" : " OR ").append(contains("substr(s.name_key, 1, :window)", ":piece" + i));
    }
    return any.append(')').toString();
  }

  /**
   * Packages whose name, summary or description hold, for every one of {@code words}, a word starting
   * with it (the engine's full-text tokenizer decides what a word is), ordered by name.
   */
  List<Candidate> text(Handle h, List<String> words, Filters filters, int limit);
}
