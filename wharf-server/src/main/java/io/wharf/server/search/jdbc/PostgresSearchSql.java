package io.wharf.server.search.jdbc;

import io.wharf.server.search.*;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * PostgreSQL: text through the tsvector column and its GIN index; name substrings through the pg_trgm
 * GIN index when the migration could install the extension (it serves LIKE '%...%'), else by scanning
 * package_search, which holds one row per package name.
 */
final class PostgresSearchSql implements SearchSql {
  @Override
  public String channelColumn() {
    return "s.channel_id";
  }

  @Override
  public String contains(String column, String param) {
    return "strpos(" + column + ", " + param + ") > 0";
  }

  @Override
  public List<Candidate> nameSubstrings(Handle h, String query, Filters filters, int limit) {
    return nameSubstringsByLike(h, query, filters, limit);
  }

  @Override
  public List<Candidate> namesContainingAny(Handle h, List<String> pieces, int minLength, int maxLength, int window,
      Filters filters, int limit) {
    if (pieces.isEmpty()) {
      return List.of();
    }
    // Each LIKE can use the pg_trgm GIN index; PostgreSQL combines them with a bitmap OR.
    StringBuilder any = new StringBuilder();
    for (int i = 0; i < pieces.size(); i++) {
      any.append(i == 0 ? "(" : " OR ").append("s.name_key LIKE :pattern").append(i).append(" ESCAPE '!'");
    }
    any.append(')');
    Query q = filters.bind(h.createQuery("SELECT " + Candidate.COLUMNS + " FROM package_search s WHERE " + any
            + " AND length(s.name_key) BETWEEN :minLength AND :maxLength AND " + anyPieceWithin(pieces.size())
            + filters.sql(this) + " ORDER BY length(s.name_key) LIMIT :limit"))
        .bind("minLength", minLength)
        .bind("maxLength", maxLength)
        .bind("window", window)
        .bind("limit", limit);
    for (int i = 0; i < pieces.size(); i++) {
      q.bind("pattern" + i, SearchTerms.likeContains(pieces.get(i))).bind("piece" + i, pieces.get(i));
    }
    return q.map(Candidate::map).list();
  }

  @Override
  public List<Candidate> text(Handle h, List<String> words, Filters filters, int limit) {
    if (words.isEmpty()) {
      return List.of();
    }
    // Each word of the query is a prefix, as on SQLite. The words are split into lexemes by the same
    // parser that built text_vector, and each lexeme is quoted before ':*' is added, so nothing a user
    // types can become tsquery syntax. No lexemes at all gives a NULL query, which matches nothing.
    return filters.bind(h.createQuery("SELECT " + Candidate.COLUMNS + " FROM package_search s"
            + " WHERE s.text_vector @@ (SELECT to_tsquery('simple', string_agg(quote_literal(l) || ':*', ' & '))"
            + " FROM unnest(tsvector_to_array(to_tsvector('simple', :words))) AS l)" + filters.sql(this)
            + " ORDER BY " + Candidate.ORDER + " LIMIT :limit"))
        .bind("words", String.join(" ", words))
        .bind("limit", limit)
        .map(Candidate::map)
        .list();
  }
}
