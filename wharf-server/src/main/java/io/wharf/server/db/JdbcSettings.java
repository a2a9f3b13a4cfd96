package io.wharf.server.db;

import java.util.Optional;
import java.util.function.Supplier;

/** Named values the server keeps about itself in the {@code settings} table. */
public final class JdbcSettings {
  private final Database db;

  public JdbcSettings(Database db) {
    this.db = db;
  }

  public Optional<String> get(String name) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT value FROM settings WHERE name = :name")
        .bind("name", name).mapTo(String.class).findOne());
  }

  /** The stored value, or {@code initial} stored now; concurrent callers on any node agree on one value. */
  public String getOrCreate(String name, Supplier<String> initial) {
    Optional<String> existing = get(name);
    if (existing.isPresent()) {
      return existing.get();
    }
    try {
      db.jdbi().useHandle(h -> h.createUpdate("INSERT INTO settings (name, value) VALUES (:name, :value)")
          .bind("name", name).bind("value", initial.get()).execute());
    } catch (RuntimeException e) {
      if (!DuplicateKeyException.isUniqueViolation(e)) {
        throw e;
      }
    }
    return get(name).orElseThrow();
  }
}
