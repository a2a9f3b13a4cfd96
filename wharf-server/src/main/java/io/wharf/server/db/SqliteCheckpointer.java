package io.wharf.server.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies SQLite's write-ahead log into the database file on a thread of its own. By default the connection
 * whose commit takes the log past 1,000 pages does that copy (and its forced writes) inside its commit: a
 * bulk writer committing thousands of rows a batch paid for a checkpoint in nearly every commit, a fifth of
 * a large mirror run's writing. Here the pool's connections only checkpoint as a backstop, when the log
 * passes {@link #BACKSTOP_PAGES} (should this thread fall behind or stop), and this thread checkpoints
 * every {@link #PERIOD_MS} ms in passive mode, which never waits for a writer or a reader
 * (https://sqlite.org/wal.html#automatic_checkpoint, https://sqlite.org/pragma.html#pragma_wal_checkpoint).
 */
final class SqliteCheckpointer implements AutoCloseable {
  /** The pool connections' own checkpoint threshold: 64 MiB of 4 KiB pages. */
  static final int BACKSTOP_PAGES = 16_384;
  static final long PERIOD_MS = 200;
  private static final Logger LOG = LoggerFactory.getLogger(SqliteCheckpointer.class);

  private final Connection connection;
  private final Thread thread;
  private volatile boolean closed;

  private SqliteCheckpointer(Connection connection) {
    this.connection = connection;
    this.thread = new Thread(this::loop, "wharf-sqlite-checkpoint");
    this.thread.setDaemon(true);
  }

  /** Starts checkpointing the database {@code source} opens, on a connection of its own. */
  static SqliteCheckpointer start(DataSource source) {
    Connection c;
    try {
      c = source.getConnection();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open the SQLite checkpoint connection: " + e.getMessage(), e);
    }
    SqliteCheckpointer checkpointer = new SqliteCheckpointer(c);
    checkpointer.thread.start();
    return checkpointer;
  }

  private void loop() {
    while (!closed) {
      try {
        TimeUnit.MILLISECONDS.sleep(PERIOD_MS);
        checkpoint();
      } catch (InterruptedException e) {
        return;
      } catch (SQLException e) {
        if (!closed) {
          LOG.warn("checkpoint of the SQLite log failed, retried in {} ms: {}", PERIOD_MS, e.getMessage());
        }
      }
    }
  }

  /** One passive checkpoint: as much of the log as no reader still needs goes into the database file. */
  private void checkpoint() throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("PRAGMA wal_checkpoint(PASSIVE)");
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.warn("closing the SQLite checkpoint connection failed: {}", e.getMessage());
    }
  }
}
