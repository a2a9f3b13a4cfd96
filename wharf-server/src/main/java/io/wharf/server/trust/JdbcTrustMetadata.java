package io.wharf.server.trust;

import io.wharf.server.db.Database;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** The public trust metadata files (table {@code trust_metadata}), which every node serves alike. */
public final class JdbcTrustMetadata {
  public static final String KEY_MGR = "key_mgr.json";

  private final Jdbi jdbi;

  public JdbcTrustMetadata(Database db) {
    this.jdbi = db.jdbi();
  }

  /** The file of this name ({@code N.root.json} or {@code key_mgr.json}). */
  public Optional<Stored> file(String name) {
    return jdbi.withHandle(h -> h.createQuery("SELECT name, body, created_at FROM trust_metadata WHERE name = :name")
        .bind("name", name)
        .map((rs, ctx) -> new Stored(rs.getString("name"), rs.getString("body"), rs.getLong("created_at")))
        .findOne());
  }

  /** Every root version, oldest first. */
  public List<String> roots() {
    return jdbi.withHandle(h -> h.createQuery("SELECT body FROM trust_metadata WHERE kind = 'root' ORDER BY version")
        .mapTo(String.class).list());
  }

  public Optional<String> keyMgr() {
    return file(KEY_MGR).map(Stored::body);
  }

  public boolean any() {
    return jdbi.withHandle(h -> h.createQuery("SELECT 1 FROM trust_metadata LIMIT 1").mapTo(Integer.class)
        .findOne().isPresent());
  }

  /** Adds files in one transaction; a name already present is refused (metadata is never rewritten). */
  public void add(List<New> files, long now) {
    jdbi.useTransaction(h -> {
      for (New f : files) {
        h.createUpdate("INSERT INTO trust_metadata (name, kind, version, body, created_at)"
                + " VALUES (:name, :kind, :version, :body, :now)")
            .bind("name", f.name()).bind("kind", f.kind()).bind("version", f.version()).bind("body", f.body())
            .bind("now", now).execute();
      }
    });
  }

  public record Stored(String name, String body, long createdAt) {}

  public record New(String name, String kind, int version, String body) {
    public static New root(int version, String body) {
      return new New(version + ".root.json", "root", version, body);
    }

    public static New keyMgr(int version, String body) {
      return new New(KEY_MGR, "key_mgr", version, body);
    }
  }
}
