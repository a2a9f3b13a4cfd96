package io.wharf.server.search.jdbc;

import io.wharf.server.search.*;
import static io.wharf.server.search.SearchTerms.MIN_TRIGRAM_CODE_POINTS;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * SQLite: lookups through the FTS5 trigram index package_search_fts, whose rowid is package_search.id.
 * Every user string reaches FTS5 as a quoted phrase, so its query syntax (AND, *, -, ^, NEAR) is inert.
 */
final class SqliteSearchSql implements SearchSql {
  private static final String NOT_PREFIX = " AND substr(s.name_key, 1, :queryLength) <> :query";

  @Override
  public String contains(String column, String param) {
    return "instr(" + column + ", " + param + ") > 0";
  }

  @Override
  public List<Candidate> nameSubstrings(Handle h, String query, Filters filters, int limit) {
    if (SearchTerms.length(query) < MIN_TRIGRAM_CODE_POINTS) {
      // Too short for a trigram: scan the names (one row per package name, not per file).
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
    return filters.bind(h.createQuery("SELECT " + Candidate.COLUMNS + " FROM package_search s"
            + " WHERE s.id IN (SELECT rowid FROM package_search_fts WHERE package_search_fts MATCH :match)"
            + NOT_PREFIX + filters.sql(this) + " ORDER BY " + Candidate.ORDER + " LIMIT :limit"))
        .bind("match", "name : " + SearchTerms.ftsString(query))
        .bind("query", query)
        .bind("queryLength", SearchTerms.length(query))
        .bind("limit", limit)
        .map(Candidate::map)
        .list();
  }

  @Override
  public List<Candidate> similarNames(Handle h, String query, int minLength, int maxLength, Filters filters,
      int limit) {
    List<String> grams = SearchTerms.trigrams(query);
    if (grams.isEmpty()) {
      return List.of();
    }
    String match = "name : (" + grams.stream().map(SearchTerms::ftsString).collect(Collectors.joining(" OR ")) + ")";
    // bm25 ranks names sharing more (and rarer) trigrams first, so the limit drops the least similar.
    return filters.bind(h.createQuery("SELECT " + Candidate.COLUMNS + " FROM package_search_fts f"
            + " JOIN package_search s ON s.id = f.rowid"
            + " WHERE package_search_fts MATCH :match AND length(s.name_key) BETWEEN :minLength AND :maxLength"
            + filters.sql(this) + " ORDER BY f.rank LIMIT :limit"))
        .bind("match", match)
        .bind("minLength", minLength)
        .bind("maxLength", maxLength)
        .bind("limit", limit)
        .map(Candidate::map)
        .list();
  }

  @Override
  public List<Candidate> text(Handle h, List<String> words, Filters filters, int limit) {
    List<String> phrases = new ArrayList<>();
    for (String w : words) {
      if (SearchTerms.length(w) >= MIN_TRIGRAM_CODE_POINTS) {
        phrases.add(SearchTerms.ftsString(w));
      }
    }
    if (phrases.isEmpty()) {
      return List.of();
    }
    return filters.bind(h.createQuery("SELECT " + Candidate.COLUMNS + " FROM package_search s"
            + " WHERE s.id IN (SELECT rowid FROM package_search_fts WHERE package_search_fts MATCH :match)"
            + filters.sql(this) + " ORDER BY " + Candidate.ORDER + " LIMIT :limit"))
        .bind("match", String.join(" AND ", phrases))
        .bind("limit", limit)
        .map(Candidate::map)
        .list();
  }
}
