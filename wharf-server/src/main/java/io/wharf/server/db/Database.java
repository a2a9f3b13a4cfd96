package io.wharf.server.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The metadata database: a connection pool, migrated to the current schema on open, with a Jdbi
 * on top. SQLite for a single node, PostgreSQL when several nodes share one database.
 */
public final class Database implements AutoCloseable {
  // Waits for a write lock held by another process (a CLI next to a running server, say).
  static final int SQLITE_BUSY_TIMEOUT_MS = 30_000;
  private static final int SQLITE_POOL_SIZE = 4;
  static final int SQLITE_CACHE_KIB = 32 * 1024;
  private static final int POSTGRES_POOL_SIZE = 10;

  private final HikariDataSource pool;
  private final Jdbi jdbi;
  private final Dialect dialect;
  private final SqliteCheckpointer checkpointer; // SQLite only

  private Database(HikariDataSource pool, Jdbi jdbi, Dialect dialect, SqliteCheckpointer checkpointer) {
    this.pool = pool;
    this.jdbi = jdbi;
    this.dialect = dialect;
    this.checkpointer = checkpointer;
  }

  /** Opens and migrates the database at {@code jdbcUrl}; user and password are ignored for SQLite. */
  public static Database open(String jdbcUrl, String user, String password) {
    Dialect dialect = Dialect.fromJdbcUrl(jdbcUrl);
    HikariConfig config = new HikariConfig();
    config.setPoolName("wharf-db");
    DataSource sqlite = dialect == Dialect.SQLITE ? sqliteDataSource(jdbcUrl) : null;
    if (dialect == Dialect.SQLITE) {
      config.setDataSource(sqlite);
      config.setMaximumPoolSize(SQLITE_POOL_SIZE);
    } else {
      config.setJdbcUrl(jdbcUrl);
      config.setUsername(user);
      config.setPassword(password);
      config.setMaximumPoolSize(POSTGRES_POOL_SIZE);
      // pgjdbc sends a batch of INSERTs as multi-row INSERTs (up to 128 rows a statement): a batch of package
      // rows with their dependency rows took about half the wall time in a local measurement. Safe here: no
      // batch reads generated keys (bulk package rows are read back by location) and nothing reads a batch's
      // per-row counts, which become SUCCESS_NO_INFO. The one rule it adds: a batched INSERT ... ON CONFLICT
      // DO UPDATE must not hold a key twice (PostgreSQL refuses to update a row twice in one statement), see
      // JdbcBatch. reWriteBatchedInserts=false in the JDBC URL still turns it off (URL parameters win).
      config.addDataSourceProperty("reWriteBatchedInserts", "true");
    }
    HikariDataSource pool = new HikariDataSource(config);
    try {
      migrate(pool, dialect);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    Jdbi jdbi = Jdbi.create(pool);
    SqliteCheckpointer checkpointer = null;
    if (dialect == Dialect.SQLITE) {
      jdbi.setTransactionHandler(new SerializedTransactionHandler(jdbi.getTransactionHandler(), new ReentrantLock(true)));
      try {
        checkpointer = SqliteCheckpointer.start(sqlite);
      } catch (RuntimeException e) {
        pool.close();
        throw e;
      }
    }
    return new Database(pool, jdbi, dialect, checkpointer);
  }

  public static Database openSqlite(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    try {
      if (absolute.getParent() != null) {
        Files.createDirectories(absolute.getParent());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create directory for database " + absolute, e);
    }
    return open("jdbc:sqlite:" + absolute, null, null);
  }

  private static DataSource sqliteDataSource(String jdbcUrl) {
    String target = jdbcUrl.substring("jdbc:sqlite:".length()).toLowerCase(Locale.ROOT);
    // Every pooled connection would get its own private in-memory database.
    if (target.isBlank() || target.contains(":memory:") || target.contains("mode=memory")) {
      throw new IllegalArgumentException("SQLite database must be a file, not in-memory: " + jdbcUrl);
    }
    SQLiteConfig config = new SQLiteConfig();
    // WAL lets readers proceed while a write is in progress (https://sqlite.org/wal.html).
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.enforceForeignKeys(true);
    config.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MS);
    // BEGIN IMMEDIATE takes the write lock at the start of a transaction. A deferred transaction that
    // reads and then writes fails with SQLITE_BUSY at once when another writer got in between,
    // without waiting for the busy timeout (https://sqlite.org/lang_transaction.html).
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    // SQLite's default page cache is 2 MiB a connection. A channel of hundreds of thousands of files has
    // indexes far larger than that, and each insert then reads the index pages it touches again from the
    // operating system; 32 MiB a connection (SQLITE_POOL_SIZE of them, outside the Java heap) keeps the
    // hot pages of such indexes (https://sqlite.org/pragma.html#pragma_cache_size: negative = KiB).
    config.setCacheSize(-SQLITE_CACHE_KIB);
    // the log is copied into the database file by SqliteCheckpointer, off the committing thread; a pool
    // connection does it itself only past this backstop
    config.setWalAutocheckpoint(SqliteCheckpointer.BACKSTOP_PAGES);
    SQLiteDataSource dataSource = new SQLiteDataSource(config);
    dataSource.setUrl(jdbcUrl);
    return dataSource;
  }

  private static void migrate(DataSource dataSource, Dialect dialect) {
    Flyway.configure()
        .dataSource(dataSource)
        .locations(dialect.migrationLocations())
        .failOnMissingLocations(true)
        .load()
        .migrate();
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  public Dialect dialect() {
    return dialect;
  }

  /** The connection pool as the metrics read it, each time they are scraped. */
  public interface PoolState {
    int active();

    int idle();

    int waiting();

    int max();
  }

  public PoolState poolState() {
    return new PoolState() {
      @Override
      public int active() {
        return pool.getHikariPoolMXBean().getActiveConnections();
      }

      @Override
      public int idle() {
        return pool.getHikariPoolMXBean().getIdleConnections();
      }

      @Override
      public int waiting() {
        return pool.getHikariPoolMXBean().getThreadsAwaitingConnection();
      }

      @Override
      public int max() {
        return pool.getMaximumPoolSize();
      }
    };
  }

  /** Readiness probe: throws when the database cannot answer a trivial query. */
  public void check() {
    int answer = jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
    if (answer != 1) {
      throw new IllegalStateException("database answered " + answer + " to SELECT 1");
    }
  }

  @Override
  public void close() {
    if (checkpointer != null) {
      checkpointer.close();
    }
    pool.close();
  }
}
