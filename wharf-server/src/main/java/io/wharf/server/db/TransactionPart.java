package io.wharf.server.db;

import org.jdbi.v3.core.Handle;

/**
 * Rows a caller writes inside another writer's transaction, so that both commit together or neither does:
 * a mirror notes the records it wrote in the transaction that stores their files, rather than in one of
 * its own after it (a commit is a forced write of the log, and a run of 500,000 records made 1,500 of them).
 */
@FunctionalInterface
public interface TransactionPart {
  /** Writes nothing. */
  TransactionPart NONE = h -> { };

  void write(Handle h);

  /** This part, then {@code next}. */
  default TransactionPart andThen(TransactionPart next) {
    return h -> {
      write(h);
      next.write(h);
    };
  }
}
