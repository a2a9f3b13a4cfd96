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

  /**
   * Whether the transaction this part joins must be on disk when its commit returns. False only for work
   * that is done again when a crash loses it (see {@link Dialect#inUnforcedTransaction}).
   */
  default boolean forced() {
    return true;
  }

  /** This part, then {@code next}; forced unless both are unforced. */
  default TransactionPart andThen(TransactionPart next) {
    TransactionPart first = this;
    boolean forced = forced() || next.forced();
    return new TransactionPart() {
      @Override
      public void write(Handle h) {
        first.write(h);
        next.write(h);
      }

      @Override
      public boolean forced() {
        return forced;
      }
    };
  }

  /**
   * {@code part}, in a transaction whose commit need not wait for the disk: for a caller that records in
   * that same transaction what it has done, and does the rest again after a crash (a mirror run resumes
   * from the records it noted). Never for a write a client is told is stored.
   */
  static TransactionPart unforced(TransactionPart part) {
    return new TransactionPart() {
      @Override
      public void write(Handle h) {
        part.write(h);
      }

      @Override
      public boolean forced() {
        return false;
      }
    };
  }
}
