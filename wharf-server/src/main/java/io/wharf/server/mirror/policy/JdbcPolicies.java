package io.wharf.server.mirror.policy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.server.db.Database;
import io.wharf.server.db.DuplicateKeyException;
import io.wharf.server.error.WharfException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** The policy tables (migration V34): policies and the policy each mirror follows. */
public final class JdbcPolicies {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Jdbi jdbi;

  public JdbcPolicies(Database db) {
    this.jdbi = db.jdbi();
  }

  /** A mirror's policy and whether files it newly excludes are removed. */
  public record Attached(Policy policy, boolean removeExcluded) {}

  Policy create(String name, String description, PolicyFilters filters, long now) {
    try {
      long id = jdbi.withHandle(h -> h.createUpdate("INSERT INTO policies (name, description, filters_json,"
              + " created_at, updated_at) VALUES (:name, :description, :filters, :now, :now)")
          .bind("name", name).bind("description", description).bind("filters", filters.toJson().toString())
          .bind("now", now).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
      return byId(id).orElseThrow();
    } catch (RuntimeException e) {
      if (DuplicateKeyException.isUniqueViolation(e)) {
        throw WharfException.conflict("policy_exists", "a policy named " + name + " already exists");
      }
      throw e;
    }
  }

  List<Policy> all() {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM policies ORDER BY name").map((rs, ctx) -> row(rs))
        .list());
  }

  Optional<Policy> byName(String name) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM policies WHERE name = :n").bind("n", name)
        .map((rs, ctx) -> row(rs)).findOne());
  }

  Optional<Policy> byId(long id) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM policies WHERE id = :id").bind("id", id)
        .map((rs, ctx) -> row(rs)).findOne());
  }

  /**
   * Replaces the policy's description and filters; the mirrors that follow it forget their listings'
   * validators in the same transaction, so that each one's next run judges every file by the new filters.
   */
  Optional<Policy> update(String name, String description, PolicyFilters filters, long now) {
    Optional<Long> updated = jdbi.inTransaction(h -> {
      Optional<Long> id = h.createQuery("SELECT id FROM policies WHERE name = :n").bind("n", name)
          .mapTo(Long.class).findOne();
      if (id.isEmpty()) {
        return Optional.<Long>empty();
      }
      h.createUpdate("UPDATE policies SET description = :d, filters_json = :f, updated_at = :now WHERE id = :id")
          .bind("d", description).bind("f", filters.toJson().toString()).bind("now", now).bind("id", id.get())
          .execute();
      h.createUpdate("DELETE FROM mirror_subdirs WHERE mirror_id IN"
          + " (SELECT mirror_id FROM mirror_policies WHERE policy_id = :p)").bind("p", id.get()).execute();
      return id;
    });
    return updated.flatMap(this::byId);
  }

  /** The names of the mirrors that follow the policy, by name. */
  List<String> followers(long policyId) {
    return jdbi.withHandle(h -> followers(h, policyId));
  }

  private static List<String> followers(org.jdbi.v3.core.Handle h, long policyId) {
    return h.createQuery("SELECT m.name FROM mirror_policies mp JOIN mirrors m ON m.id = mp.mirror_id"
        + " WHERE mp.policy_id = :p ORDER BY m.name").bind("p", policyId).mapTo(String.class).list();
  }

  /**
   * Deletes the policy unless a mirror follows it: the check and the delete share a transaction so that a
   * mirror attached meanwhile cannot be left pointing at nothing. Answers the mirrors that follow it (none:
   * deleted).
   */
  List<String> deleteUnused(long policyId) {
    return jdbi.inTransaction(h -> {
      List<String> users = followers(h, policyId);
      if (users.isEmpty()) {
        h.createUpdate("DELETE FROM policies WHERE id = :p").bind("p", policyId).execute();
      }
      return users;
    });
  }

  void attach(long mirrorId, long policyId, boolean removeExcluded) {
    jdbi.useTransaction(h -> {
      forgetValidators(h, mirrorId);
      h.createUpdate("DELETE FROM mirror_policies WHERE mirror_id = :m").bind("m", mirrorId).execute();
      h.createUpdate("INSERT INTO mirror_policies (mirror_id, policy_id, remove_excluded) VALUES (:m, :p, :r)")
          .bind("m", mirrorId).bind("p", policyId).bind("r", removeExcluded ? 1 : 0).execute();
    });
  }

  void detach(long mirrorId) {
    jdbi.useTransaction(h -> {
      forgetValidators(h, mirrorId);
      h.createUpdate("DELETE FROM mirror_policies WHERE mirror_id = :m").bind("m", mirrorId).execute();
    });
  }

  /**
   * Another policy (or none) changes what a run takes of listings upstream did not change: the next run reads
   * every listing again instead of being answered 304 for the ETag of a run that judged it by the old one.
   */
  private static void forgetValidators(org.jdbi.v3.core.Handle h, long mirrorId) {
    h.createUpdate("DELETE FROM mirror_subdirs WHERE mirror_id = :m").bind("m", mirrorId).execute();
  }

  Optional<Attached> ofMirror(long mirrorId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT p.*, mp.remove_excluded FROM mirror_policies mp"
            + " JOIN policies p ON p.id = mp.policy_id WHERE mp.mirror_id = :m").bind("m", mirrorId)
        .map((rs, ctx) -> new Attached(row(rs), rs.getInt("remove_excluded") != 0)).findOne());
  }

  private static Policy row(ResultSet rs) throws SQLException {
    try {
      return new Policy(rs.getLong("id"), rs.getString("name"), rs.getString("description"),
          PolicyFilters.fromJson(JSON.readTree(rs.getString("filters_json"))),
          Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("updated_at")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
