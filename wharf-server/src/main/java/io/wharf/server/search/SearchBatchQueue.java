package io.wharf.server.search;

import io.wharf.server.events.FileBatch;
import io.wharf.server.events.PackageRemoved;
import io.wharf.server.events.PackageStored;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file batches of bulk writers (an import, a mirror run, a transfer) waiting for the search index, and
 * the one thread that indexes them, so that a writer goes on with its next batch meanwhile. At most
 * {@code capacity} batches wait: a writer further ahead waits in {@link #submit} until the thread takes
 * them, so memory stays bounded however large the operation. The thread takes every waiting batch at once
 * and indexes them as one (a name spread over them is updated once). The thread starts with the first
 * batch, so a process that never submits one (a command that only reconciles) has none.
 */
final class SearchBatchQueue {
  private static final Logger LOG = LoggerFactory.getLogger(SearchBatchQueue.class);

  private final String threadName;
  private final int capacity;
  private final Consumer<FileBatch> index;
  private final ArrayDeque<FileBatch> waiting = new ArrayDeque<>();
  private long submitted;
  // indexed, failed or dropped: what awaitIdle waits for
  private long finished;
  private long failed;
  private boolean closed;
  private Thread thread;

  SearchBatchQueue(String threadName, int capacity, Consumer<FileBatch> index) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity " + capacity);
    }
    this.threadName = threadName;
    this.capacity = capacity;
    this.index = index;
  }

  /**
   * Queues a batch, waiting while {@code capacity} batches wait already. Once the queue is closed the
   * batch is dropped (logged): the reconcile at the next start recomputes its names, whose documents
   * then disagree with their rows on file count or newest upload.
   */
  synchronized void submit(FileBatch batch) {
    boolean interrupted = false;
    while (!closed && waiting.size() >= capacity) {
      startThread(); // a thread that died of an Error is replaced, or this writer would wait forever
      try {
        wait();
      } catch (InterruptedException e) {
        // The batch is committed and must not be lost, nor the bound passed: wait on, then tell the caller.
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (closed) {
      LOG.warn("search index stopped: a batch of {} files is left to the reconcile at the next start", size(batch));
      return;
    }
    startThread();
    waiting.add(batch);
    submitted++;
    notifyAll();
  }

  private void startThread() {
    if (thread == null) {
      thread = new Thread(this::work, threadName);
      thread.setDaemon(true); // the server stops it (close); a command that exits without closing is not held up
      thread.start();
    }
  }

  /**
   * Waits until every batch submitted before this call is indexed (or failed, logged), at most
   * {@code timeout}; whether it was.
   */
  synchronized boolean awaitIdle(Duration timeout) {
    long target = submitted;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (finished < target) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** Batches waiting for the thread (not counting those it is indexing). */
  synchronized int waiting() {
    return waiting.size();
  }

  /** Batches whose indexing failed, so far. */
  synchronized long failed() {
    return failed;
  }

  /**
   * Takes no more batches, lets the thread index those waiting for at most {@code drain}, then drops the
   * rest (logged; the reconcile at the next start covers them) and lets the thread end.
   */
  void close(Duration drain) {
    Thread t;
    synchronized (this) {
      closed = true;
      notifyAll();
      t = thread;
    }
    if (t == null) {
      return;
    }
    boolean drained = awaitIdle(drain);
    synchronized (this) {
      if (!drained && !waiting.isEmpty()) {
        int files = waiting.stream().mapToInt(SearchBatchQueue::size).sum();
        LOG.warn("search index stopped with {} batches ({} files) not indexed; the reconcile at the next start"
            + " indexes them", waiting.size(), files);
        finished += waiting.size();
        waiting.clear();
        notifyAll();
      }
    }
    try {
      t.join(drain.toMillis() + 1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void work() {
    try {
      indexAll();
    } finally {
      synchronized (this) {
        thread = null;
        notifyAll();
      }
    }
  }

  private void indexAll() {
    while (true) {
      List<FileBatch> taken;
      synchronized (this) {
        while (waiting.isEmpty() && !closed) {
          try {
            wait();
          } catch (InterruptedException e) {
            // only close ends this thread, so that no batch is taken and then forgotten
          }
        }
        if (waiting.isEmpty()) {
          return;
        }
        taken = new ArrayList<>(waiting);
        waiting.clear();
        notifyAll(); // writers waiting for room
      }
      FileBatch all = taken.size() == 1 ? taken.get(0) : join(taken);
      boolean ok = false;
      try {
        index.accept(all);
        ok = true;
      } catch (RuntimeException e) {
        LOG.error("search index: {} batches ({} files) could not be indexed; their names stay out of step until"
            + " the reconcile at the next start or a repairing check", taken.size(), size(all), e);
      } finally {
        synchronized (this) {
          finished += taken.size();
          failed += ok ? 0 : taken.size();
          notifyAll();
        }
      }
    }
  }

  private static FileBatch join(List<FileBatch> batches) {
    List<PackageStored> stored = new ArrayList<>();
    List<PackageRemoved> removed = new ArrayList<>();
    for (FileBatch b : batches) {
      stored.addAll(b.stored());
      removed.addAll(b.removed());
    }
    return new FileBatch(stored, removed);
  }

  private static int size(FileBatch b) {
    return b.stored().size() + b.removed().size();
  }
}
