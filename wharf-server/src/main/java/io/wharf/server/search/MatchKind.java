package io.wharf.server.search;

/** Why a package matched a query, best first: results are ranked in this order. */
public enum MatchKind {
  /** The name equals the query, ignoring case. */
  EXACT,
  /** The name starts with the query; also the kind of every hit when browsing with a blank query. */
  PREFIX,
  /** The name contains the query elsewhere. */
  SUBSTRING,
  /**
   * The name is a close misspelling of the query (edit distance 1 up to 4 characters, else 2), or starts
   * with one (from 5 characters: distance 1 up to 8, else 2).
   */
  FUZZY,
  /** The query's words appear in the summary or description. */
  TEXT
}
