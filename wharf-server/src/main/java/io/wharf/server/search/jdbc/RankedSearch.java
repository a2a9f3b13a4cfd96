package io.wharf.server.search.jdbc;

import io.wharf.server.search.*;
import static io.wharf.server.search.SearchRepository.CANDIDATES_PER_KIND;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Collects the matches of each kind (exact, prefix, substring, misspelling or misspelt prefix, text),
 * each through an index and capped at {@link SearchRepository#CANDIDATES_PER_KIND}, merges them with
 * every package under its best kind, and reads the full rows of one page only.
 */
final class RankedSearch {
  private final Jdbi jdbi;
  private final SearchSql sql;
  private final Misspellings misspellings;

  RankedSearch(Jdbi jdbi, SearchSql sql) {
    this.jdbi = jdbi;
    this.sql = sql;
    this.misspellings = new Misspellings(sql);
  }

  SearchSql sql() {
    return sql;
  }

  SearchPage search(SearchQuery q) {
    Optional<Filters> filters = Filters.of(q);
    if (filters.isEmpty()) {
      return new SearchPage(List.of(), 0, q.page(), q.pageSize());
    }
    String text = SearchTerms.normalize(q.text());
    return jdbi.withHandle(h -> text.isEmpty() ? browse(h, q, filters.get()) : ranked(h, q, text, filters.get()));
  }

  private SearchPage browse(Handle h, SearchQuery q, Filters f) {
    long total = f.bind(h.createQuery("SELECT count(*) FROM package_search s WHERE 1 = 1" + f.sql(sql)))
        .mapTo(Long.class).one();
    long offset = (long) (q.page() - 1) * q.pageSize();
    if (offset >= total) {
      return new SearchPage(List.of(), total, q.page(), q.pageSize());
    }
    List<SearchHit> hits = f.bind(h.createQuery("SELECT " + JdbcSearchRepository.COLUMNS + " FROM package_search s"
            + " WHERE 1 = 1" + f.sql(sql) + " ORDER BY " + Candidate.ORDER + " LIMIT :limit OFFSET :offset"))
        .bind("limit", q.pageSize())
        .bind("offset", offset)
        .map(JdbcSearchRepository::document)
        .map(d -> hit(d, MatchKind.PREFIX))
        .list();
    return new SearchPage(hits, total, q.page(), q.pageSize());
  }

  private SearchPage ranked(Handle h, SearchQuery q, String text, Filters f) {
    Map<MatchKind, List<Candidate>> byKind = new EnumMap<>(MatchKind.class);
    byKind.put(MatchKind.EXACT, exact(h, text, f));
    byKind.put(MatchKind.PREFIX, prefix(h, text, f));
    // Package names hold no spaces (CEP 26), so a query with one can only match text.
    boolean oneWord = !text.contains(" ");
    byKind.put(MatchKind.SUBSTRING, oneWord ? sql.nameSubstrings(h, text, f, CANDIDATES_PER_KIND) : List.of());
    byKind.put(MatchKind.FUZZY, oneWord ? misspellings.find(h, text, f) : List.of());
    byKind.put(MatchKind.TEXT, sql.text(h, SearchTerms.words(text), f, CANDIDATES_PER_KIND));

    Map<Long, MatchKind> ranking = new LinkedHashMap<>();
    for (Map.Entry<MatchKind, List<Candidate>> kind : byKind.entrySet()) {
      List<Candidate> sorted = new ArrayList<>(kind.getValue());
      if (kind.getKey() != MatchKind.FUZZY) { // whole names, then prefixes, each by name: see Misspellings
        sorted.sort(Candidate.BY_NAME);
      }
      for (Candidate c : sorted) {
        ranking.putIfAbsent(c.id(), kind.getKey());
      }
    }
    List<Long> ids = new ArrayList<>(ranking.keySet());
    long offset = (long) (q.page() - 1) * q.pageSize();
    if (offset >= ids.size()) {
      return new SearchPage(List.of(), ids.size(), q.page(), q.pageSize());
    }
    List<Long> pageIds = ids.subList((int) offset, (int) Math.min(ids.size(), offset + q.pageSize()));
    Map<Long, SearchDocument> rows = new HashMap<>();
    h.createQuery("SELECT " + JdbcSearchRepository.COLUMNS + " FROM package_search s WHERE s.id IN (<ids>)")
        .bindList("ids", pageIds)
        .map((rs, ctx) -> Map.entry(rs.getLong("id"), JdbcSearchRepository.document(rs, ctx)))
        .forEach(e -> rows.put(e.getKey(), e.getValue()));
    List<SearchHit> hits = new ArrayList<>();
    for (Long id : pageIds) {
      SearchDocument d = rows.get(id);
      if (d != null) {
        hits.add(hit(d, ranking.get(id)));
      }
    }
    return new SearchPage(hits, ids.size(), q.page(), q.pageSize());
  }

  private List<Candidate> exact(Handle h, String text, Filters f) {
    return f.bind(h.createQuery("SELECT " + Candidate.COLUMNS + " FROM package_search s"
            + " WHERE s.name_key = :query" + f.sql(sql) + " ORDER BY " + Candidate.ORDER + " LIMIT :limit"))
        .bind("query", text)
        .bind("limit", CANDIDATES_PER_KIND)
        .map(Candidate::map)
        .list();
  }

  // A range on name_key rather than LIKE 'x%': it uses the index on both engines, with any parameter.
  private List<Candidate> prefix(Handle h, String text, Filters f) {
    String upper = SearchTerms.prefixUpperBound(text);
    Query query = f.bind(h.createQuery("SELECT " + Candidate.COLUMNS + " FROM package_search s"
            + " WHERE s.name_key > :query" + (upper == null ? "" : " AND s.name_key < :upper") + f.sql(sql)
            + " ORDER BY " + Candidate.ORDER + " LIMIT :limit"))
        .bind("query", text)
        .bind("limit", CANDIDATES_PER_KIND);
    if (upper != null) {
      query.bind("upper", upper);
    }
    return query.map(Candidate::map).list();
  }

  private static SearchHit hit(SearchDocument d, MatchKind kind) {
    return new SearchHit(d.channelId(), d.name(), d.latestVersion(), d.summary(), d.subdirs(), d.licenseFamilies(),
        d.fileCount(), d.updatedAt(), kind);
  }
}
