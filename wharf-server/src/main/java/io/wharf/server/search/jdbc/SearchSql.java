package io.wharf.server.search.jdbc;

import io.wharf.server.search.*;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The lookups whose SQL differs between engines. Each returns rows of package_search {@code s} passing
 * {@code filters}, at most {@code limit} of them.
 */
interface SearchSql {
  /** A condition: the text in {@code column} contains the text bound to {@code param}. */
  String contains(String column, String param);

  /** Names containing {@code query} (lower-case) anywhere but at the start, ordered by name. */
  List<Candidate> nameSubstrings(Handle h, String query, Filters filters, int limit);

  /**
   * Names likely to be close to {@code query}, sharing some of its trigrams, with lengths in
   * [minLength, maxLength], most similar first. The caller checks the real distance.
   */
  List<Candidate> similarNames(Handle h, String query, int minLength, int maxLength, Filters filters, int limit);

  /** Packages whose name, summary or description hold every one of {@code words}, ordered by name. */
  List<Candidate> text(Handle h, List<String> words, Filters filters, int limit);
}
