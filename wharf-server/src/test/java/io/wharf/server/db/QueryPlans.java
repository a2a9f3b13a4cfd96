package io.wharf.server.db;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.jdbi.v3.core.statement.Query;

/**
 * The plan an engine chooses for a statement, as text, for tests that a lookup uses the index meant for it. On
 * PostgreSQL sequential scans are discouraged first: on a test-sized table it would scan whatever the indexes, so
 * the plan then says whether an index can serve the statement at all.
 */
public final class QueryPlans {
  private QueryPlans() {}

  /** The plan of {@code sql}, its parameters bound by name. */
  public static String of(Database db, String sql, Map<String, ?> parameters) {
    return plan(db, sql, query -> parameters.forEach(query::bind));
  }

  /** The plan of {@code sql}, its parameters bound by position in the order given. */
  public static String of(Database db, String sql, List<?> parameters) {
    return plan(db, sql, query -> {
      for (int i = 0; i < parameters.size(); i++) {
        query.bind(i, parameters.get(i));
      }
    });
  }

  private static String plan(Database db, String sql, Consumer<Query> binder) {
    return db.jdbi().inTransaction(h -> {
      String explain = "EXPLAIN QUERY PLAN ";
      if (db.dialect() == Dialect.POSTGRESQL) {
        h.execute("SET LOCAL enable_seqscan = off");
        explain = "EXPLAIN ";
      }
      Query query = h.createQuery(explain + sql);
      binder.accept(query);
      // SQLite: id, parent, notused, detail; PostgreSQL: one column of text lines
      return query.map((rs, ctx) -> rs.getString(rs.getMetaData().getColumnCount())).list().stream()
          .collect(Collectors.joining("\n"));
    });
  }
}
