package io.wharf.server.search.jdbc;

import io.wharf.server.search.*;
import static io.wharf.server.search.SearchRepository.CANDIDATES_PER_KIND;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
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

  /**
   * Names within the allowed distance of the query, by name, then names starting within the allowed
   * distance of it, by name; true prefixes excluded. Whole names come first and are collected first,
   * so a query whose start is shared by many names keeps its closest matches within the cap.
   */
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
    List<Candidate> withPieces = List.of();
    if (max > 1) {
      // Names two edits away contain a piece of the query intact, and so do names starting two edits
      // away (9+ characters), within their first length + 2 characters. Shortest first, so the names
      // that can be whole-name matches are within the cap.
      withPieces = sql.namesContainingAny(h, SearchTerms.pieces(text, max), length - max,
          prefixMax > 1 ? Integer.MAX_VALUE : length + max, length + max, f, CANDIDATES_PER_KIND);
      addAll(candidates, withPieces);
    }
    List<Candidate> close = new ArrayList<>();
    for (Candidate c : candidates.values()) {
      int d = SearchTerms.distance(text, c.nameKey(), max);
      if (d > 0 && d <= max && close.size() < CANDIDATES_PER_KIND) {
        close.add(c);
      }
    }
    close.sort(Candidate.BY_NAME);
    if (prefixMax == 0 || close.size() >= CANDIDATES_PER_KIND) {
      return close;
    }
    Map<Long, Candidate> starts = new LinkedHashMap<>();
    addAll(starts, oneEditFromTheStart(h, text, f));
    if (prefixMax > 1) {
      addAll(starts, withPieces);
    }
    Set<Long> whole = close.stream().map(Candidate::id).collect(Collectors.toSet());
    List<Candidate> closeStarts = new ArrayList<>();
    for (Candidate c : starts.values()) {
      if (closeStarts.size() + close.size() < CANDIDATES_PER_KIND && !whole.contains(c.id())
          && !c.nameKey().startsWith(text) // a prefix match, ranked before misspellings
          && SearchTerms.prefixDistance(text, c.nameKey(), prefixMax) <= prefixMax) {
        closeStarts.add(c);
      }
    }
    closeStarts.sort(Candidate.BY_NAME);
    close.addAll(closeStarts);
    return close;
  }

  private static void addAll(Map<Long, Candidate> into, List<Candidate> found) {
    for (Candidate c : found) {
      into.putIfAbsent(c.id(), c);
    }
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
    List<Deleted> deletions = new ArrayList<>();
    for (int i = 0; i < q.length; i++) {
      starts.add(without(q, i));
      if (i + 1 < q.length && q[i] != q[i + 1]) {
        int[] swapped = q.clone();
        swapped[i] = q[i + 1];
        swapped[i + 1] = q[i];
        starts.add(new String(swapped, 0, swapped.length));
      }
      // Substituting the last character is the same as deleting it, a range above.
      if (i + 1 < q.length) {
        deletions.add(new Deleted(i, without(q, i), new String(q, i, 1)));
      }
      deletions.add(new Deleted(i, text, ""));
    }
    // Ranges need an upper bound, which only a string of U+10FFFF lacks; no name key holds one. Either
    // list is left empty only by a query of nothing else, which empties both.
    starts.removeIf(start -> SearchTerms.prefixUpperBound(start) == null);
    deletions.removeIf(d -> SearchTerms.prefixUpperBound(d.start()) == null);
    if (starts.isEmpty() || deletions.isEmpty()) {
      return List.of();
    }
    StringBuilder with = new StringBuilder("WITH r (lo, hi) AS (VALUES ");
    for (int k = 0; k < starts.size(); k++) {
      with.append(k == 0 ? "" : ", ").append("(:lo").append(k).append(", :hi").append(k).append(')');
    }
    with.append("), p (char_index, lo, hi, other) AS (VALUES ");
    for (int k = 0; k < deletions.size(); k++) {
      with.append(k == 0 ? "" : ", ").append("(:index").append(k).append(", :dlo").append(k).append(", :dhi")
          .append(k).append(", :other").append(k).append(')');
    }
    with.append(')');
    String where = " WHERE 1 = 1" + SearchSql.NOT_PREFIX + f.sql(sql);
    Query query = f.bind(h.createQuery(with + " SELECT " + Candidate.COLUMNS + " FROM r JOIN package_search s"
            + " ON s.name_key >= r.lo AND s.name_key < r.hi" + where
            + " UNION SELECT " + Candidate.COLUMNS + " FROM p JOIN package_search_deletions d"
            + " ON d.char_index = p.char_index AND d.variant >= p.lo AND d.variant < p.hi"
            + " AND d.deleted_char <> p.other JOIN package_search s ON s.id = d.search_id" + where
            + " LIMIT :limit"))
        .bind("query", text)
        .bind("queryLength", q.length)
        .bind("limit", CANDIDATES_PER_KIND);
    for (int k = 0; k < starts.size(); k++) {
      query.bind("lo" + k, starts.get(k)).bind("hi" + k, SearchTerms.prefixUpperBound(starts.get(k)));
    }
    for (int k = 0; k < deletions.size(); k++) {
      Deleted d = deletions.get(k);
      query.bind("index" + k, d.index()).bind("dlo" + k, d.start())
          .bind("dhi" + k, SearchTerms.prefixUpperBound(d.start())).bind("other" + k, d.other());
    }
    return query.map(Candidate::map).list();
  }

  /**
   * Names whose row for character {@code index} starts with {@code start}, having deleted a character
   * other than {@code other} (empty: any).
   */
  private record Deleted(int index, String start, String other) {}

  private static String without(int[] cps, int i) {
    return new String(cps, 0, i) + new String(cps, i + 1, cps.length - i - 1);
  }
}
