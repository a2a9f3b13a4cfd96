package io.wharf.server.pkg;

import io.wharf.server.db.Database;
import io.wharf.server.db.Dialect;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** {@link PackageFilePages} in SQL that runs unchanged on SQLite and PostgreSQL. */
public final class JdbcPackageFilePages implements PackageFilePages {
  private final Jdbi jdbi;
  private final Dialect dialect;

  public JdbcPackageFilePages(Database db) {
    this.jdbi = db.jdbi();
    this.dialect = db.dialect();
  }

  @Override
  public List<PackageFile> files(long channelId, FileFilter filter, FileKey after, int limit) {
    StringBuilder sql = new StringBuilder("SELECT " + JdbcPackageFileRepository.COLUMNS
        + " FROM package_files WHERE channel_id = :channelId");
    Map<String, Object> binds = new LinkedHashMap<>();
    binds.put("channelId", channelId);
    equal(sql, binds, "label", filter.label());
    equal(sql, binds, "subdir", filter.subdir());
    equal(sql, binds, "name", filter.name());
    equal(sql, binds, "filename", filter.filename());
    String key = String.join(", ", dialect.binaryOrder("label"), dialect.binaryOrder("subdir"),
        dialect.binaryOrder("filename"));
    if (after != null) {
      // A row-value comparison: exactly the files that follow this key in the ORDER BY below.
      sql.append(" AND (").append(key).append(") > (:afterLabel, :afterSubdir, :afterFilename)");
      binds.put("afterLabel", after.label());
      binds.put("afterSubdir", after.subdir());
      binds.put("afterFilename", after.filename());
    }
    sql.append(" ORDER BY ").append(key).append(" LIMIT :limit");
    binds.put("limit", limit);
    return jdbi.withHandle(h -> h.createQuery(sql.toString())
        .bindMap(binds)
        .map(JdbcPackageFileRepository::map)
        .list());
  }

  @Override
  public List<PackageFile> filesOfName(long channelId, String name, Long beforeId, int limit) {
    // Ids grow with every insert, so id order is upload order; a replaced file moves to the front.
    Map<String, Object> binds = new LinkedHashMap<>();
    binds.put("channelId", channelId);
    binds.put("name", name);
    binds.put("limit", limit);
    if (beforeId != null) {
      binds.put("beforeId", beforeId);
    }
    return jdbi.withHandle(h -> h.createQuery("SELECT " + JdbcPackageFileRepository.COLUMNS
            + " FROM package_files WHERE channel_id = :channelId AND name = :name"
            + (beforeId == null ? "" : " AND id < :beforeId") + " ORDER BY id DESC LIMIT :limit")
        .bindMap(binds)
        .map(JdbcPackageFileRepository::map)
        .list());
  }

  private static void equal(StringBuilder sql, Map<String, Object> binds, String column, String value) {
    if (value != null) {
      sql.append(" AND ").append(column).append(" = :").append(column);
      binds.put(column, value);
    }
  }

  @Override
  public List<PackageNameSummary> packageNames(long channelId, String afterName, int limit) {
    String name = dialect.binaryOrder("name");
    Map<String, Object> binds = new LinkedHashMap<>();
    binds.put("channelId", channelId);
    binds.put("limit", limit);
    if (afterName != null) {
      binds.put("after", afterName);
    }
    return jdbi.withHandle(h -> h.createQuery("SELECT name, COUNT(*) AS file_count, MAX(uploaded_at) AS last_upload"
            + " FROM package_files WHERE channel_id = :channelId" + (afterName == null ? "" : " AND " + name + " > :after")
            + " GROUP BY name ORDER BY " + name + " LIMIT :limit")
        .bindMap(binds)
        .map((rs, ctx) -> new PackageNameSummary(rs.getString("name"), rs.getLong("file_count"),
            Instant.ofEpochMilli(rs.getLong("last_upload"))))
        .list());
  }

  @Override
  public Map<String, List<String>> labelsByName(long channelId, Collection<String> names) {
    if (names.isEmpty()) {
      return Map.of();
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    jdbi.useHandle(h -> h.createQuery("SELECT name, label FROM package_files"
            + " WHERE channel_id = :channelId AND name IN (<names>) GROUP BY name, label ORDER BY "
            + dialect.binaryOrder("name") + ", " + dialect.binaryOrder("label"))
        .bind("channelId", channelId)
        .bindList("names", List.copyOf(names))
        .map((rs, ctx) -> Map.entry(rs.getString("name"), rs.getString("label")))
        .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue())));
    return out;
  }

  @Override
  public int deleteBatch(long channelId, int limit) {
    return jdbi.inTransaction(h -> {
      // One statement picks and deletes the rows, so deletes running at once never both claim a row.
      List<String> keys = h.createQuery("DELETE FROM package_files WHERE id IN (SELECT id FROM package_files"
              + " WHERE channel_id = :channelId LIMIT :limit) RETURNING blob_key")
          .bind("channelId", channelId)
          .bind("limit", limit)
          .mapTo(String.class)
          .list();
      if (!keys.isEmpty()) {
        JdbcPackageFileRepository.raiseRevision(h, channelId);
        for (String key : new java.util.TreeSet<>(keys)) {
          JdbcPackageFileRepository.markIfUnreferenced(h, key, System.currentTimeMillis());
        }
      }
      return keys.size();
    });
  }
}
