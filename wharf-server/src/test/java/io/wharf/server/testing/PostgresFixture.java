package io.wharf.server.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * One real PostgreSQL server per test JVM, and a fresh, empty database for each caller of
 * {@link #newDatabase()}.
 *
 * <p>By default the server is zonky's embedded PostgreSQL. Run as root, zonky starts initdb and
 * postgres under {@code unshare -U} (a new user namespace, where they are not root), so it needs
 * util-linux's unshare and a kernel that allows user namespaces. Where that is not possible, point
 * the tests at any server with {@code WHARF_TEST_PG_URL} (a JDBC URL of a database the user may
 * connect to, e.g. {@code jdbc:postgresql://localhost:5432/postgres}), {@code WHARF_TEST_PG_USER}
 * and {@code WHARF_TEST_PG_PASSWORD}; the user needs CREATEDB.
 */
public final class PostgresFixture {
  private static PostgresFixture shared;

  private final String jdbcUrl;
  private final String user;
  private final String password;

  private PostgresFixture(String jdbcUrl, String user, String password) {
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
  }

  public static synchronized PostgresFixture shared() {
    if (shared == null) {
      String external = System.getenv("WHARF_TEST_PG_URL");
      if (external != null && !external.isBlank()) {
        shared = new PostgresFixture(external, envOr("WHARF_TEST_PG_USER", "postgres"),
            envOr("WHARF_TEST_PG_PASSWORD", ""));
      } else {
        try {
          // zonky registers a shutdown hook that stops the server and removes its data directory.
          EmbeddedPostgres server = EmbeddedPostgres.builder().start();
          // The embedded server trusts local connections, so any password is accepted.
          shared = new PostgresFixture(server.getJdbcUrl("postgres", "postgres"), "postgres", "");
        } catch (IOException e) {
          throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
        }
      }
    }
    return shared;
  }

  /** The server's maintenance database; prefer {@link #newDatabase()} for tests. */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  /** Creates an empty database (t_ plus random hex) and returns where to reach it. */
  public PgDatabase newDatabase() {
    String name = "t_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection c = DriverManager.getConnection(jdbcUrl, user, password); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database " + name, e);
    }
    // Same server and parameters, other database: swap the path segment after host[:port]/.
    String url = jdbcUrl.replaceFirst("^(jdbc:postgresql://[^/]*/)[^?]*", "$1" + name);
    return new PgDatabase(url, user, password);
  }

  public record PgDatabase(String jdbcUrl, String user, String password) {}

  private static String envOr(String name, String fallback) {
    String value = System.getenv(name);
    return value == null ? fallback : value;
  }
}
