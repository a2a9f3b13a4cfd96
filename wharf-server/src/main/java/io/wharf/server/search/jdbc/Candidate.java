package io.wharf.server.search.jdbc;

import io.wharf.server.search.*;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Comparator;
import org.jdbi.v3.core.statement.StatementContext;

/** A matching row, with what it takes to order matches by name. */
record Candidate(long id, String nameKey, String name, long channelId) {
  static final String COLUMNS = "s.id, s.name_key, s.name, s.channel_id";
  /** Matches the index package_search_name_key, so ordered reads need no sort. */
  static final String ORDER = "s.name_key, s.channel_id, s.name";
  static final Comparator<Candidate> BY_NAME = Comparator.comparing(Candidate::nameKey)
      .thenComparingLong(Candidate::channelId).thenComparing(Candidate::name);

  static Candidate map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Candidate(rs.getLong("id"), rs.getString("name_key"), rs.getString("name"), rs.getLong("channel_id"));
  }
}
