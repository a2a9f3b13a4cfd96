package io.wharf.server.db;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

/** The SQL engines Wharf runs on; the few places their SQL differs ask the dialect. */
public enum Dialect {
  SQLITE("sqlite"),
  POSTGRESQL("postgresql");

  private final String migrationFolder;

  Dialect(String migrationFolder) {
    this.migrationFolder = migrationFolder;
  }

  public static Dialect fromJdbcUrl(String jdbcUrl) {
    String url = jdbcUrl == null ? "" : jdbcUrl.toLowerCase(Locale.ROOT);
    if (url.startsWith("jdbc:sqlite:")) {
      return SQLITE;
    }
    if (url.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    }
    throw new IllegalArgumentException("unsupported database URL (expected jdbc:sqlite: or jdbc:postgresql:): "
        + (jdbcUrl == null ? "null" : jdbcUrl.replaceAll("\\?.*", "?...")));
  }

  /** Flyway locations: migrations shared by both engines, then the ones written for this engine. */
  String[] migrationLocations() {
    return new String[] {"classpath:db/migration/common", "classpath:db/migration/" + migrationFolder};
  }

  /**
   * An ORDER BY term that sorts text by code point on both engines. SQLite's default BINARY collation
   * already does; PostgreSQL would otherwise use the database locale, which differs between servers.
   */
  public String binaryOrder(String column) {
    return this == POSTGRESQL ? column + " COLLATE \"C\"" : column;
  }

  /**
   * Holds until the end of the current transaction a lock named {@code key}, so transactions that
   * check and then write the same thing take turns, on every node sharing the database. PostgreSQL
   * uses a transaction-scoped advisory lock; SQLite needs nothing, since a write transaction there
   * already holds the single database-wide write lock from its first statement (BEGIN IMMEDIATE).
   */
  public void lockForTransaction(Handle handle, String key) {
    if (this == POSTGRESQL) {
      // The function returns void, which has no Java mapping; select a constant beside it.
      handle.createQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(:key)) AS locked")
          .bind("key", advisoryKey(key)).mapTo(Integer.class).one();
    }
  }

  /**
   * Runs {@code work} in a transaction whose commit returns without waiting for the database to force its
   * log to disk. A crash (of the machine; a crash of the process loses nothing) can then lose the last such
   * commits, whole, but never leaves one half-written, and the next forced commit forces them too.
   * SQLite in WAL mode does this with {@code synchronous = NORMAL}, set on the connection for this
   * transaction only (https://sqlite.org/pragma.html#pragma_synchronous); PostgreSQL with
   * {@code synchronous_commit = off} for the transaction
   * (https://www.postgresql.org/docs/current/wal-async-commit.html). Only for work that notes what it has
   * done in the same transaction and does the rest again after a crash, as a mirror run does.
   */
  public <T> T inUnforcedTransaction(Jdbi jdbi, HandleCallback<T, RuntimeException> work) {
    if (this == POSTGRESQL) {
      return jdbi.inTransaction(h -> {
        h.execute("SET LOCAL synchronous_commit = off");
        return work.withHandle(h);
      });
    }
    return jdbi.withHandle(h -> {
      // the setting is the connection's: put back what it was, as the connection returns to the pool
      int before = h.createQuery("PRAGMA synchronous").mapTo(Integer.class).one();
      h.execute("PRAGMA synchronous = NORMAL");
      try {
        return h.inTransaction(work);
      } finally {
        h.execute("PRAGMA synchronous = " + before);
      }
    });
  }

  // Advisory locks are named by a bigint; distinct keys that collide merely wait for each other.
  private static long advisoryKey(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(digest).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
