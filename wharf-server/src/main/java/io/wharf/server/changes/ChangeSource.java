package io.wharf.server.changes;

import java.util.List;

/** Reads the change log. */
public interface ChangeSource {
  /** Entries after {@code afterSeq} or among {@code holes}, in order, at most {@code limit}. */
  List<Change> read(long afterSeq, List<Long> holes, int limit);

  /** Which of the sequence numbers in (from, to] exist, ascending. */
  List<Long> present(long from, long to);

  /** The newest sequence number, or 0. */
  long head();

  /**
   * Waits up to {@code millis} for a sign that the log grew (a database notification where the engine
   * has them); returns early on such a sign, otherwise after the time.
   */
  void await(long millis) throws InterruptedException;

  /** Removes entries older than {@code before}. */
  int prune(long before);
}
