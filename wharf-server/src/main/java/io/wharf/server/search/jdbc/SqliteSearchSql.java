package io.wharf.server.search.jdbc;

import io.wharf.server.search.*;
import static io.wharf.server.search.SearchTerms.MIN_TRIGRAM_CODE_POINTS;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * SQLite: names through the FTS5 trigram index package_search_names, text through the FTS5 word index
 * package_search_text; both have package_search.id as rowid. Every user string reaches FTS5 as a
 * quoted string, so its query syntax (AND, OR, NOT, NEAR, ^, column filters) is inert.
 */
final class SqliteSearchSql implements SearchSql {
  /**
   * The unary plus keeps SQLite's planner (which has no statistics) from reading every row of a
   * channel through the (channel_id, name) index instead of following the name or full-text index.
   */
  @Override
  public String channelColumn() {
    return "+s.channel_id";
  }

  @Override
  public String contains(String column, String param) {
    return "instr(" + column + ", " + param + ") > 0";
  }

  @Override
  public List<Candidate> nameSubstrings(Handle h, String query, Filters filters, int limit) {
    if (SearchTerms.length(query) < MIN_TRIGRAM_CODE_POINTS) {
      return nameSubstringsByLike(h, query, filters, limit); // too short for a trigram
    }
    return filters.bind(h.createQuery("SELECT " + Candidate.COLUMNS + " FROM package_search s"
            + " WHERE s.id IN (SELECT rowid FROM package_search_names WHERE package_search_names MATCH :match)"
            + NOT_PREFIX + filters.sql(this) + " ORDER BY " + Candidate.ORDER + " LIMIT :limit"))
        .bind("match", SearchTerms.ftsString(query))
        .bind("query", query)
        .bind("queryLength", SearchTerms.length(query))
        .bind("limit", limit)
        .map(Candidate::map)
        .list();
  }

  @Override
  public List<Candidate> namesContainingAny(Handle h, List<String> pieces, int minLength, int maxLength, int window,
      Filters filters, int limit) {
    if (pieces.isEmpty()) {
      return List.of();
    }
    String match = pieces.stream().map(SearchTerms::ftsString).collect(Collectors.joining(" OR "));
    Query q = filters.bind(h.createQuery("SELECT " + Candidate.COLUMNS + " FROM package_search s"
            + " WHERE s.id IN (SELECT rowid FROM package_search_names WHERE package_search_names MATCH :match)"
            + " AND length(s.name_key) BETWEEN :minLength AND :maxLength AND " + anyPieceWithin(pieces.size())
            + filters.sql(this) + " ORDER BY length(s.name_key) LIMIT :limit"))
        .bind("match", match)
        .bind("minLength", minLength)
        .bind("maxLength", maxLength)
        .bind("window", window)
        .bind("limit", limit);
    for (int i = 0; i < pieces.size(); i++) {
      q.bind("piece" + i, pieces.get(i));
    }
    return q.map(Candidate::map).list();
  }

  @Override
  public List<Candidate> text(Handle h, List<String> words, Filters filters, int limit) {
    List<String> terms = new ArrayList<>();
    for (String w : words) {
      // A quoted string of only separators would be an empty phrase, which FTS5 rejects.
      if (w.codePoints().anyMatch(Character::isLetterOrDigit)) {
        terms.add(SearchTerms.ftsString(w) + "*");
      }
    }
    if (terms.isEmpty()) {
      return List.of();
    }
    return filters.bind(h.createQuery("SELECT " + Candidate.COLUMNS + " FROM package_search s"
            + " WHERE s.id IN (SELECT rowid FROM package_search_text WHERE package_search_text MATCH :match)"
            + filters.sql(this) + " ORDER BY " + Candidate.ORDER + " LIMIT :limit"))
        .bind("match", String.join(" AND ", terms))
        .bind("limit", limit)
        .map(Candidate::map)
        .list();
  }
}
