package io.wharf.server.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * One real PostgreSQL server per test JVM (zonky's embedded binaries; they run as root too), and a
 * fresh, empty database for each caller of {@link #newDatabase()}.
 */
public final class PostgresFixture {
  private static final String USER = "postgres";
  private static PostgresFixture shared;

  private final EmbeddedPostgres server;

  private PostgresFixture(EmbeddedPostgres server) {
    this.server = server;
  }

  public static synchronized PostgresFixture shared() {
    if (shared == null) {
      try {
        // zonky registers a shutdown hook that stops the server and removes its data directory.
        shared = new PostgresFixture(EmbeddedPostgres.builder().start());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
      }
    }
    return shared;
  }

  /** The server's maintenance database; prefer {@link #newDatabase()} for tests. */
  public String jdbcUrl() {
    return server.getJdbcUrl(USER, "postgres");
  }

  public String user() {
    return USER;
  }

  public String password() {
    // The embedded server trusts local connections, so any password is accepted.
    return "";
  }

  /** Creates an empty database (t_ plus random hex) and returns where to reach it. */
  public PgDatabase newDatabase() {
    String name = "t_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database " + name, e);
    }
    return new PgDatabase(server.getJdbcUrl(USER, name), USER, password());
  }

  public record PgDatabase(String jdbcUrl, String user, String password) {}
}
