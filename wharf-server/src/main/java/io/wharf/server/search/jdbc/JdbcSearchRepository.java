package io.wharf.server.search.jdbc;

import io.wharf.server.search.*;
import io.wharf.server.db.Database;
import io.wharf.server.db.Dialect;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/** The search index in package_search (see the V3 migrations); ranking lives in {@link RankedSearch}. */
public final class JdbcSearchRepository implements SearchRepository {
  static final String COLUMNS = "s.id, s.channel_id, s.name, s.latest_version, s.summary, s.description,"
      + " s.subdirs, s.license_families, s.file_count, s.updated_at";

  // well below the bound-parameter limits of both engines
  private static final int FIND_SLICE = 500;

  private final Jdbi jdbi;
  private final Dialect dialect;
  private final RankedSearch ranked;
  private static final String UPDATE = "UPDATE package_search SET latest_version = :latestVersion, summary = :summary,"
      + " description = :description, subdirs = :subdirs, license_families = :licenses, file_count = :fileCount,"
      + " updated_at = :updatedAt WHERE id = :id";

  public JdbcSearchRepository(Database db) {
    this.jdbi = db.jdbi();
    this.dialect = db.dialect();
    SearchSql sql = dialect == Dialect.POSTGRESQL
        ? new PostgresSearchSql()
        : new SqliteSearchSql();
    this.ranked = new RankedSearch(jdbi, sql);
  }

  @Override
  public void upsert(SearchDocument doc) {
    Objects.requireNonNull(doc, "doc");
    write(h -> upsert(h, doc));
  }

  /**
   * One transaction: the names' locks in name order (so that two writers never wait for each other in a
   * circle), one read of which documents exist, one batch of updates, and an insert for each new name. Of
   * two documents of one name the later is kept, as upserting them in turn would.
   */
  @Override
  public void upsertAll(List<SearchDocument> docs) {
    if (docs.isEmpty()) {
      return;
    }
    Map<Long, java.util.TreeMap<String, SearchDocument>> byChannel = new java.util.TreeMap<>();
    docs.forEach(d -> byChannel.computeIfAbsent(d.channelId(), c -> new java.util.TreeMap<>()).put(d.name(), d));
    write(h -> byChannel.forEach((channelId, named) -> {
      named.keySet().forEach(n -> dialect.lockForTransaction(h, "package_search/" + channelId + "/" + n));
      Map<String, Long> ids = new HashMap<>();
      List<String> all = List.copyOf(named.keySet());
      for (int from = 0; from < all.size(); from += FIND_SLICE) {
        h.createQuery("SELECT id, name FROM package_search WHERE channel_id = :channelId AND name IN (<names>)")
            .bind("channelId", channelId)
            .bindList("names", io.wharf.server.db.InLists.padded(all.subList(from, Math.min(all.size(), from + FIND_SLICE))))
            .map((rs, ctx) -> Map.entry(rs.getString("name"), rs.getLong("id")))
            .forEach(e -> ids.put(e.getKey(), e.getValue()));
      }
      PreparedBatch updates = h.prepareBatch(UPDATE);
      for (SearchDocument doc : named.values()) {
        Long id = ids.get(doc.name());
        if (id != null) {
          bindUpdate(updates, doc, id).add();
        }
      }
      if (updates.size() > 0) {
        updates.execute();
      }
      for (SearchDocument doc : named.values()) {
        if (!ids.containsKey(doc.name())) {
          insert(h, doc);
        }
      }
    }));
  }

  /**
   * A change of documents, committed without waiting for the disk: they are derived from the package rows,
   * and the reconcile at every start ({@link io.wharf.server.search.SearchIndexer#reconcile}) recomputes any
   * that a crash of the machine lost. Bulk writers update the index once a batch, and a forced commit each
   * time would hold the database's single write lock while the disk syncs.
   */
  private void write(java.util.function.Consumer<Handle> change) {
    dialect.inUnforcedTransaction(jdbi, h -> {
      change.accept(h);
      return null;
    });
  }

  private void upsert(Handle h, SearchDocument doc) {
    // Concurrent first upserts of a name would otherwise both insert on PostgreSQL.
    dialect.lockForTransaction(h, "package_search/" + doc.channelId() + "/" + doc.name());
    Optional<Long> existing = h.createQuery("SELECT id FROM package_search WHERE channel_id = :channelId"
            + " AND name = :name")
        .bind("channelId", doc.channelId())
        .bind("name", doc.name())
        .mapTo(Long.class)
        .findOne();
    if (existing.isPresent()) {
      bindUpdate(h.createUpdate(UPDATE), doc, existing.get()).execute();
      return;
    }
    insert(h, doc);
  }

  private static <S extends org.jdbi.v3.core.statement.SqlStatement<S>> S bindUpdate(S statement, SearchDocument doc,
      long id) {
    return statement.bindMethods(doc)
        .bind("subdirs", Filters.join(doc.subdirs()))
        .bind("licenses", Filters.join(doc.licenseFamilies()))
        .bind("updatedAt", doc.updatedAt().toEpochMilli())
        .bind("id", id);
  }

  /** A document of a name the channel has none of yet; the caller holds the name's lock. */
  private static void insert(Handle h, SearchDocument doc) {
    String subdirs = Filters.join(doc.subdirs());
    String licenses = Filters.join(doc.licenseFamilies());
    String nameKey = SearchTerms.nameKey(doc.name());
    long id = h.createUpdate("INSERT INTO package_search (channel_id, name, name_key, latest_version, summary,"
            + " description, subdirs, license_families, file_count, updated_at) VALUES (:channelId, :name,"
            + " :nameKey, :latestVersion, :summary, :description, :subdirs, :licenses, :fileCount, :updatedAt)")
        .bindMethods(doc)
        .bind("nameKey", nameKey)
        .bind("subdirs", subdirs)
        .bind("licenses", licenses)
        .bind("updatedAt", doc.updatedAt().toEpochMilli())
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
    // A row keeps its name for life, so its misspelling lookup rows are written once.
    Misspellings.index(h, id, nameKey);
  }

  @Override
  public void delete(long channelId, String name) {
    write(h -> h.createUpdate("DELETE FROM package_search WHERE channel_id = :channelId AND name = :name")
        .bind("channelId", channelId)
        .bind("name", name)
        .execute());
  }

  @Override
  public void deleteChannel(long channelId) {
    jdbi.useTransaction(h -> h.createUpdate("DELETE FROM package_search WHERE channel_id = :channelId")
        .bind("channelId", channelId)
        .execute());
  }

  @Override
  public Optional<SearchDocument> find(long channelId, String name) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM package_search s"
            + " WHERE s.channel_id = :channelId AND s.name = :name")
        .bind("channelId", channelId)
        .bind("name", name)
        .map(JdbcSearchRepository::document)
        .findOne());
  }

  @Override
  public Map<String, SearchDocument> findAll(long channelId, java.util.Collection<String> names) {
    Map<String, SearchDocument> out = new HashMap<>();
    List<String> all = List.copyOf(new java.util.LinkedHashSet<>(names));
    for (int from = 0; from < all.size(); from += FIND_SLICE) {
      List<String> slice = all.subList(from, Math.min(all.size(), from + FIND_SLICE));
      jdbi.useHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM package_search s"
              + " WHERE s.channel_id = :channelId AND s.name IN (<names>)")
          .bind("channelId", channelId)
          .bindList("names", io.wharf.server.db.InLists.padded(slice))
          .map(JdbcSearchRepository::document)
          .forEach(d -> out.put(d.name(), d)));
    }
    return out;
  }

  @Override
  public SearchPage search(SearchQuery q) {
    return ranked.search(q);
  }

  @Override
  public Set<Long> channelsWithName(String name, Set<Long> channelIds) {
    if (channelIds.isEmpty()) {
      return Set.of();
    }
    Filters filters = Filters.channels(new ArrayList<>(channelIds));
    return jdbi.withHandle(h -> filters.bind(h.createQuery("SELECT s.channel_id FROM package_search s"
            + " WHERE s.name = :name" + filters.sql(ranked.sql())))
        .bind("name", name)
        .mapTo(Long.class)
        .collect(java.util.stream.Collectors.toSet()));
  }

  @Override
  public List<SearchDocument> all(Set<Long> channelIds) {
    if (channelIds.isEmpty()) {
      return List.of();
    }
    Filters filters = Filters.channels(new ArrayList<>(channelIds));
    return jdbi.withHandle(h -> filters.bind(h.createQuery("SELECT " + COLUMNS + " FROM package_search s"
            + " WHERE 1 = 1" + filters.sql(ranked.sql()) + " ORDER BY " + Candidate.ORDER))
        .map(JdbcSearchRepository::document)
        .list());
  }

  @Override
  public Map<Long, ChannelSummary> summaries(Set<Long> channelIds) {
    if (channelIds.isEmpty()) {
      return Map.of();
    }
    return jdbi.withHandle(h -> {
      Map<Long, ChannelSummary> out = new HashMap<>();
      h.createQuery("SELECT channel_id, count(*) AS packages, max(updated_at) AS last_upload FROM package_search"
              + " WHERE channel_id IN (<channelIds>) GROUP BY channel_id")
          .bindList("channelIds", List.copyOf(channelIds))
          .map((rs, ctx) -> Map.entry(rs.getLong("channel_id"),
              new ChannelSummary(rs.getLong("packages"), Instant.ofEpochMilli(rs.getLong("last_upload")))))
          .forEach(e -> out.put(e.getKey(), e.getValue()));
      return out;
    });
  }

  private record FamilyListCount(long channelId, String families, long packages) {}

  @Override
  public Map<Long, Map<String, Long>> licenseFamilyCounts(Set<Long> channelIds) {
    if (channelIds.isEmpty()) {
      return Map.of();
    }
    // Grouped by the stored list, of which there are few distinct values; each family of a list gets its count.
    return jdbi.withHandle(h -> {
      Map<Long, Map<String, Long>> out = new HashMap<>();
      h.createQuery("SELECT channel_id, license_families, count(*) AS packages FROM package_search"
              + " WHERE channel_id IN (<channelIds>) GROUP BY channel_id, license_families")
          .bindList("channelIds", List.copyOf(channelIds))
          .map((rs, ctx) -> new FamilyListCount(rs.getLong("channel_id"), rs.getString("license_families"),
              rs.getLong("packages")))
          .forEach(row -> {
            Map<String, Long> counts = out.computeIfAbsent(row.channelId(), k -> new HashMap<>());
            Filters.split(row.families()).forEach(family -> counts.merge(family, row.packages(), Long::sum));
          });
      return out;
    });
  }

  static SearchDocument document(ResultSet rs, StatementContext ctx) throws SQLException {
    return new SearchDocument(rs.getLong("channel_id"), rs.getString("name"), rs.getString("latest_version"),
        rs.getString("summary"), rs.getString("description"), Filters.split(rs.getString("subdirs")),
        Filters.split(rs.getString("license_families")), rs.getLong("file_count"),
        Instant.ofEpochMilli(rs.getLong("updated_at")));
  }
}
