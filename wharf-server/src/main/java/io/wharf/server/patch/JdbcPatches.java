package io.wharf.server.patch;

import io.wharf.server.changes.Change;
import io.wharf.server.changes.JdbcChangeLog;
import io.wharf.server.db.Database;
import io.wharf.server.db.Dialect;
import io.wharf.server.events.PatchesChanged;
import io.wharf.server.history.Actor;
import io.wharf.server.history.jdbc.ChannelHistory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The {@code repodata_patches} table (migration V35): one row per channel and subdir. */
final class JdbcPatches {
  private final Jdbi jdbi;
  private final Dialect dialect;

  JdbcPatches(Database db) {
    this.jdbi = db.jdbi();
    this.dialect = db.dialect();
  }

  /** A row; {@code json} null when the instructions were removed. */
  record Row(long channelId, String subdir, long revision, String json, String sha256, long size, String source,
      String changedBy, long changedAt) {}

  /** The revision in force, 0 when the subdir never had instructions. */
  long revision(long channelId, String subdir) {
    return jdbi.withHandle(h -> h.createQuery(
            "SELECT revision FROM repodata_patches WHERE channel_id = :c AND subdir = :s")
        .bind("c", channelId).bind("s", subdir).mapTo(Long.class).findOne().orElse(0L));
  }

  Optional<Row> find(long channelId, String subdir) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM repodata_patches WHERE channel_id = :c AND subdir = :s")
        .bind("c", channelId).bind("s", subdir).map(JdbcPatches::map).findOne());
  }

  /** Every subdir of the channel with instructions in force, by subdir. */
  List<Row> list(long channelId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM repodata_patches WHERE channel_id = :c"
            + " AND instructions_json IS NOT NULL ORDER BY subdir")
        .bind("c", channelId).map(JdbcPatches::map).list());
  }

  private static Row map(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
      throws java.sql.SQLException {
    return new Row(rs.getLong("channel_id"), rs.getString("subdir"), rs.getLong("revision"),
        rs.getString("instructions_json"), rs.getString("sha256"), rs.getLong("size"), rs.getString("source"),
        rs.getString("changed_by"), rs.getLong("changed_at"));
  }

  /**
   * Writes the instructions (null: removes them) with a new revision, the channel's history entry and one
   * change-log entry per (label, name) of {@code names} that the subdir holds, all in one transaction, so
   * every node republishes exactly those names. Returns the entries for this node's publisher.
   */
  PatchesChanged write(long channelId, String subdir, String json, String sha256, long size, String source,
      Set<String> names, Actor actor, long now, String action, Map<String, Object> details) {
    return jdbi.inTransaction(h -> {
      long revision = h.createQuery("SELECT revision FROM repodata_patches WHERE channel_id = :c AND subdir = :s")
          .bind("c", channelId).bind("s", subdir).mapTo(Long.class).findOne().orElse(0L) + 1;
      if (revision == 1) {
        h.createUpdate("INSERT INTO repodata_patches (channel_id, subdir, revision, instructions_json, sha256, size,"
                + " source, changed_by, changed_at) VALUES (:c, :s, :r, :j, :h, :n, :src, :by, :at)")
            .bind("c", channelId).bind("s", subdir).bind("r", revision).bind("j", json).bind("h", sha256)
            .bind("n", size).bind("src", source).bind("by", actor.name()).bind("at", now).execute();
      } else {
        h.createUpdate("UPDATE repodata_patches SET revision = :r, instructions_json = :j, sha256 = :h, size = :n,"
                + " source = :src, changed_by = :by, changed_at = :at WHERE channel_id = :c AND subdir = :s")
            .bind("c", channelId).bind("s", subdir).bind("r", revision).bind("j", json).bind("h", sha256)
            .bind("n", size).bind("src", source).bind("by", actor.name()).bind("at", now).execute();
      }
      Map<String, Object> d = new LinkedHashMap<>(details);
      d.put("subdir", subdir);
      d.put("revision", revision);
      ChannelHistory.record(h, channelId, actor, action, d, now);
      List<PatchesChanged.Entry> entries = new ArrayList<>();
      for (List<String> ln : present(h, channelId, subdir, names)) {
        long seq = JdbcChangeLog.append(h, dialect, Change.Kind.FILES, channelId, ln.get(0), subdir, ln.get(1), now);
        entries.add(new PatchesChanged.Entry(ln.get(0), ln.get(1), seq));
      }
      if (!entries.isEmpty()) {
        h.createUpdate("UPDATE channels SET revision = revision + 1 WHERE id = :c").bind("c", channelId).execute();
      }
      return new PatchesChanged(channelId, subdir, entries);
    });
  }

  /** The (label, name) pairs of the subdir whose name is one of {@code names}. */
  private static List<List<String>> present(Handle h, long channelId, String subdir, Set<String> names) {
    List<List<String>> out = new ArrayList<>();
    if (names.isEmpty()) {
      return out;
    }
    h.createQuery("SELECT DISTINCT label, name FROM package_files WHERE channel_id = :c AND subdir = :s"
            + " ORDER BY label, name")
        .bind("c", channelId).bind("s", subdir)
        .map((rs, ctx) -> List.of(rs.getString("label"), rs.getString("name")))
        .forEach(ln -> {
          if (names.contains(ln.get(1))) {
            out.add(ln);
          }
        });
    return out;
  }
}
