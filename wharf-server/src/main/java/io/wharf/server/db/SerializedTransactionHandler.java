package io.wharf.server.db;

import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.transaction.DelegatingTransactionHandler;
import org.jdbi.v3.core.transaction.TransactionHandler;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Lets one transaction at a time run against a SQLite file from this process. SQLite allows a
 * single writer; left to its busy handler, waiting writers retry with growing sleeps in no particular
 * order and can starve past the busy timeout under load. A fair lock queues them instead, and the
 * busy timeout is left to cover other processes opening the same file.
 *
 * <p>The lock is reentrant, but a transaction must not open a second handle and write through it:
 * that connection would wait on the write lock its own thread holds until the busy timeout fails it.
 */
final class SerializedTransactionHandler extends DelegatingTransactionHandler {
  private final ReentrantLock lock;

  SerializedTransactionHandler(TransactionHandler delegate, ReentrantLock lock) {
    super(delegate);
    this.lock = lock;
  }

  @Override
  public TransactionHandler specialize(Handle handle) throws SQLException {
    // Jdbi binds the default handler to each handle; keep the lock around the bound one.
    return new SerializedTransactionHandler(getDelegate().specialize(handle), lock);
  }

  @Override
  public <R, X extends Exception> R inTransaction(Handle handle, HandleCallback<R, X> callback) throws X {
    lock.lock();
    try {
      return super.inTransaction(handle, callback);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public <R, X extends Exception> R inTransaction(Handle handle, TransactionIsolationLevel level,
      HandleCallback<R, X> callback) throws X {
    lock.lock();
    try {
      return super.inTransaction(handle, level, callback);
    } finally {
      lock.unlock();
    }
  }
}
