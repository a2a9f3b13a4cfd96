package io.wharf.server.search.jdbc;

import io.wharf.server.search.*;
import static io.wharf.server.search.SearchRepository.CANDIDATES_PER_KIND;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;

/**
 * Names that are close misspellings of the query ({@link SearchTerms#maxEdits}) or start with one
 * ({@link SearchTerms#maxPrefixEdits}), and the two tables that find them (see the V3 and V23
 * migrations). Every candidate an index returns is checked with the real distance here, so the
 * lookups may return more than matches but must not miss any they are meant to find.
 */
final class Misspellings {
  private final SearchSql sql;

  Misspellings(SearchSql sql) {
    this.sql = sql;
  }

  /** Writes the lookup rows of a new package_search row; a row keeps its name for life. */
  static void index(Handle h, long id, String nameKey) {
    PreparedBatch variants = h.prepareBatch("INSERT INTO package_search_variants (variant, search_id)"
        + " VALUES (:variant, :id)");
    for (String variant : SearchTerms.deletionVariants(nameKey)) {
      variants.bind("variant", variant).bind("id", id).add();
    }
    variants.execute();
    int[] cps = nameKey.codePoints().toArray();
    int positions = Math.min(cps.length, SearchTerms.MAX_VARIANT_NAME_CODE_POINTS);
    if (positions == 0) {
      return;
    }
    PreparedBatch deletions = h.prepareBatch("INSERT INTO package_search_deletions (char_index, variant,"
        + " deleted_char, search_id) VALUES (:index, :variant, :deleted, :id)");
    for (int i = 0; i < positions; i++) {
      deletions.bind("index", i).bind("variant", without(cps, i)).bind("deleted", new String(cps, i, 1))
          .bind("id", id).add();
    }
    deletions.execute();
  }

  /** Names within the allowed distance of the query or starting within it, true prefixes excluded. */
  List<Candidate> find(Handle h, String text, Filters f) {
    int max = SearchTerms.maxEdits(text);
    int prefixMax = SearchTerms.maxPrefixEdits(text);
    int length = SearchTerms.length(text);
    Map<Long, Candidate> candidates = new LinkedHashMap<>();
    // Names sharing a one-deletion variant with the query: every name one edit away, some two away.
    f.bind(h.createQuery("SELECT DISTINCT " + Candidate.COLUMNS + " FROM package_search_variants v"
            + " JOIN package_search s ON s.id = v.search_id WHERE v.variant IN (<variants>)" + f.sql(sql)
            + " LIMIT :limit"))
        .bindList("variants", new ArrayList<>(SearchTerms.deletionVariants(text)))
        .bind("limit", CANDIDATES_PER_KIND)
        .map(Candidate::map)
        .forEach(c -> candidates.put(c.id(), c));
    if (prefixMax > 0) {
      for (Candidate c : oneEditFromTheStart(h, text, f)) {
        candidates.putIfAbsent(c.id(), c);
      }
    }
    if (max > 1) {
      // Names two edits away contain a piece of the query intact, and so do names starting two edits
      // away, within their first length + 2 characters.
      List<String> pieces = SearchTerms.pieces(text, max);
      int maxLength = prefixMax > 1 ? Integer.MAX_VALUE : length + max;
      for (Candidate c : sql.namesContainingAny(h, pieces, length - max, maxLength, length + max, f,
          CANDIDATES_PER_KIND)) {
        candidates.putIfAbsent(c.id(), c);
      }
    }
    List<Candidate> close = new ArrayList<>();
    for (Candidate c : candidates.values()) {
      if (close.size() < CANDIDATES_PER_KIND && isClose(text, c.nameKey(), max, prefixMax)) {
        close.add(c);
      }
    }
    return close;
  }

  private static boolean isClose(String text, String nameKey, int max, int prefixMax) {
    int d = SearchTerms.distance(text, nameKey, max);
    if (d > 0 && d <= max) {
      return true;
    }
    // A name starting with the query is a prefix match, ranked before misspellings.
    return prefixMax > 0 && !nameKey.startsWith(text)
        && SearchTerms.prefixDistance(text, nameKey, prefixMax) <= prefixMax;
  }

  /**
   * Names whose start is one edit from the query, through two indexes. A query with a character
   * deleted, or two neighbours swapped, is a plain prefix of such a name (a range on name_key). A
   * character substituted at i, or one inserted at i, leaves the name with its character i deleted
   * starting with the query less its character i, or with the whole query: a range on
   * package_search_deletions at char_index i. A substitution must delete a character other than the
   * query's own, or every name starting with the query would be read once for each of its positions.
   */
  private List<Candidate> oneEditFromTheStart(Handle h, String text, Filters f) {
    int[] q = text.codePoints().toArray();
    List<String> starts = new ArrayList<>();
    for (int i = 0; i < q.length; i++) {
      starts.add(without(q, i));
      if (i + 1 < q.length && q[i] != q[i + 1]) {
        int[] swapped = q.clone();
        swapped[i] = q[i + 1];
        swapped[i + 1] = q[i];
        starts.add(new String(swapped, 0, swapped.length));
      }
    }
    List<Object[]> deletions = new ArrayList<>(); // char_index, variant prefix, character it must not delete
    for (int i = 0; i < q.length; i++) {
      // Substituting the last character is the same as deleting it, a range above.
      if (i + 1 < q.length) {
        deletions.add(new Object[] {i, without(q, i), new String(q, i, 1)});
      }
      deletions.add(new Object[] {i, text, ""});
    }
    StringBuilder values = new StringBuilder("WITH r (lo, hi) AS (VALUES ");
    List<Object[]> ranges = new ArrayList<>();
    for (String start : starts) {
      String upper = SearchTerms.prefixUpperBound(start);
      if (upper != null) { // null only for a string of U+10FFFF, which no name key holds
        values.append(ranges.isEmpty() ? "" : ", ").append("(:lo").append(ranges.size()).append(", :hi")
            .append(ranges.size()).append(')');
        ranges.add(new Object[] {start, upper});
      }
    }
    values.append("), p (char_index, lo, hi, other) AS (VALUES ");
    List<Object[]> positions = new ArrayList<>();
    for (Object[] d : deletions) {
      String upper = SearchTerms.prefixUpperBound((String) d[1]);
      if (upper != null) {
        int k = positions.size();
        values.append(k == 0 ? "" : ", ").append("(:pi").append(k).append(", :plo").append(k).append(", :phi")
            .append(k).append(", :pother").append(k).append(')');
        positions.add(new Object[] {d[0], d[1], upper, d[2]});
      }
    }
    values.append(')');
    if (ranges.isEmpty() || positions.isEmpty()) {
      return List.of();
    }
    String notPrefix = " WHERE 1 = 1" + SearchSql.NOT_PREFIX + f.sql(sql);
    Query query = f.bind(h.createQuery(values + " SELECT " + Candidate.COLUMNS + " FROM r JOIN package_search s"
            + " ON s.name_key >= r.lo AND s.name_key < r.hi" + notPrefix
            + " UNION SELECT " + Candidate.COLUMNS + " FROM p JOIN package_search_deletions d"
            + " ON d.char_index = p.char_index AND d.variant >= p.lo AND d.variant < p.hi"
            + " AND d.deleted_char <> p.other JOIN package_search s ON s.id = d.search_id" + notPrefix
            + " LIMIT :limit"))
        .bind("query", text)
        .bind("queryLength", q.length)
        .bind("limit", CANDIDATES_PER_KIND);
    for (int k = 0; k < ranges.size(); k++) {
      query.bind("lo" + k, (String) ranges.get(k)[0]).bind("hi" + k, (String) ranges.get(k)[1]);
    }
    for (int k = 0; k < positions.size(); k++) {
      Object[] p = positions.get(k);
      query.bind("pi" + k, (int) p[0]).bind("plo" + k, (String) p[1]).bind("phi" + k, (String) p[2])
          .bind("pother" + k, (String) p[3]);
    }
    return query.map(Candidate::map).list();
  }

  private static String without(int[] cps, int i) {
    return new String(cps, 0, i) + new String(cps, i + 1, cps.length - i - 1);
  }
}
