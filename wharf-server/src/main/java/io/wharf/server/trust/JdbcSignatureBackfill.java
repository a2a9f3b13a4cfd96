package io.wharf.server.trust;

import io.wharf.server.changes.Change;
import io.wharf.server.changes.JdbcChangeLog;
import io.wharf.server.db.Database;
import io.wharf.server.db.Dialect;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs, at start and in batches, the rows stored before the instance had keys or signed by keys it no
 * longer signs with (rows stored from now on are signed as they are written). Each batch is one
 * transaction that writes the signatures and one change-log entry per (channel, label, subdir, name);
 * every node, this one included, republishes those names when its change follower reads the entries,
 * so publication stays incremental and a crash mid-way leaves nothing half done: the next start
 * continues with the rows still unsigned.
 */
public final class JdbcSignatureBackfill {
  static final int BATCH = 500;
  private static final Logger LOG = LoggerFactory.getLogger(JdbcSignatureBackfill.class);

  private final Jdbi jdbi;
  private final Dialect dialect;
  private final RecordSigner signer;
  private final Clock clock;

  public JdbcSignatureBackfill(Database db, RecordSigner signer, Clock clock) {
    this.jdbi = db.jdbi();
    this.dialect = db.dialect();
    this.signer = signer;
    this.clock = clock;
  }

  private record Row(long id, long channelId, String label, String subdir, String name, String recordJson) {}

  /** Signs every row that needs it; returns how many were signed. */
  public long run() {
    if (!signer.active()) {
      return 0;
    }
    long after = 0;
    long signed = 0;
    while (true) {
      List<Row> rows = next(after);
      if (rows.isEmpty()) {
        break;
      }
      write(rows);
      signed += rows.size();
      after = rows.get(rows.size() - 1).id();
    }
    if (signed > 0) {
      LOG.info("signed {} package records stored before the current signing keys", signed);
    }
    return signed;
  }

  private List<Row> next(long after) {
    // a row is current when its entry names every signing key (RecordSigner.current)
    StringBuilder stale = new StringBuilder("signatures_json IS NULL");
    List<String> ids = signer.keyIds();
    for (int i = 0; i < ids.size(); i++) {
      stale.append(" OR signatures_json NOT LIKE :k").append(i);
    }
    return jdbi.withHandle(h -> {
      var q = h.createQuery("SELECT id, channel_id, label, subdir, name, record_json FROM package_files"
          + " WHERE id > :after AND (" + stale + ") ORDER BY id LIMIT :limit")
          .bind("after", after).bind("limit", BATCH);
      for (int i = 0; i < ids.size(); i++) {
        q.bind("k" + i, "%\"" + ids.get(i) + "\"%");
      }
      return q.map((rs, ctx) -> new Row(rs.getLong("id"), rs.getLong("channel_id"), rs.getString("label"),
          rs.getString("subdir"), rs.getString("name"), rs.getString("record_json"))).list();
    });
  }

  private void write(List<Row> rows) {
    long now = clock.millis();
    jdbi.useTransaction(h -> {
      Set<List<Object>> names = new LinkedHashSet<>();
      var update = h.prepareBatch("UPDATE package_files SET signatures_json = :sigs WHERE id = :id");
      for (Row r : rows) {
        update.bind("sigs", signer.sign(r.recordJson())).bind("id", r.id()).add();
        names.add(List.of(r.channelId(), r.label(), r.subdir(), r.name()));
      }
      update.execute();
      for (List<Object> n : names) {
        JdbcChangeLog.append(h, dialect, Change.Kind.FILES, (Long) n.get(0), (String) n.get(1), (String) n.get(2),
            (String) n.get(3), now);
      }
    });
  }
}
