package io.wharf.server.mirror;

import io.wharf.server.error.WharfException;
import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A subdir of a mirror run in two stages on two threads: a reading thread, started and ended here, makes
 * chunks ready (everything that writes nothing: tokenizing, digests, lookups, parsing, rows) while the calling
 * thread writes the chunks before them, in order. At most {@link #DEPTH} chunks wait between the two, so the
 * memory a run holds does not grow with the subdir. Whatever ends the writing (its exception, an interrupt, a
 * lost job lease) stops the reading, and {@link #run} returns only once the reading thread has ended; whatever
 * ends the reading (a document that is no JSON, an I/O error) is thrown on the calling thread as it was thrown.
 */
final class MirrorPipeline<T> {
  /** Chunks made ready and not written yet, at most. */
  static final int DEPTH = 2;
  /** The reading thread's name, followed by the mirror's. */
  static final String THREAD = "wharf-mirror-read";

  /** The reading stage: puts each chunk it made ready into {@code out}, in order. */
  interface Reader<T> {
    void read(Output<T> out) throws IOException;
  }

  /** The writing stage: writes one chunk, on the calling thread. */
  interface Writer<T> {
    void write(T chunk) throws IOException;
  }

  /** Where the reading stage puts its chunks; both calls end the reading once the writing stopped. */
  interface Output<T> {
    /** Waits while {@link #DEPTH} chunks wait to be written. */
    void put(T chunk);

    /** For long steps between two chunks. */
    void check();
  }

  private static final Object END = new Object();

  private record Failure(Throwable error) {}

  /** Ends the reading once the writing stopped; nobody sees it outside. */
  private static final class Stopped extends RuntimeException {
    Stopped() {
      super("the writing stopped", null, false, false);
    }
  }

  private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(DEPTH);
  private volatile boolean stopped;

  private MirrorPipeline() {}

  /**
   * Runs {@code reader} on a new daemon thread named {@code THREAD-<name>} and {@code writer} on this one
   * with each chunk in turn, until the reader is done and all it made ready is written.
   */
  static <T> void run(String name, Reader<T> reader, Writer<T> writer) throws IOException {
    new MirrorPipeline<T>().go(name, reader, writer);
  }

  private void go(String name, Reader<T> reader, Writer<T> writer) throws IOException {
    Thread thread = new Thread(() -> read(reader), THREAD + "-" + name);
    thread.setDaemon(true);
    thread.start();
    boolean done = false;
    try {
      while (true) {
        Object next = take();
        if (next == END) {
          done = true;
          return;
        }
        if (next instanceof Failure f) {
          throw rethrow(f.error());
        }
        @SuppressWarnings("unchecked")
        T chunk = (T) next;
        writer.write(chunk);
      }
    } finally {
      if (!done) {
        stopped = true;
        thread.interrupt(); // wakes it where it waits: for room in the queue, or on a file it reads
      }
      awaitEnd(thread); // its spool file and its lookups must be done with before the run goes on
    }
  }

  private Object take() {
    try {
      return queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WharfException(WharfException.Kind.UNAVAILABLE, "interrupted", "the server is stopping", null);
    }
  }

  private void read(Reader<T> reader) {
    Object last;
    try {
      reader.read(new Output<>() {
        @Override
        public void put(T chunk) {
          check();
          try {
            queue.put(chunk);
          } catch (InterruptedException e) {
            throw new Stopped(); // only the writing side interrupts this thread, once it stopped
          }
        }

        @Override
        public void check() {
          if (stopped) {
            throw new Stopped();
          }
        }
      });
      last = END;
    } catch (Throwable e) {
      if (stopped) {
        return; // the writing stopped first: its exception is the run's, whatever this one is
      }
      last = new Failure(e);
    }
    try {
      queue.put(last);
    } catch (InterruptedException e) {
      // the writing stopped: nobody waits for the end any more
    }
  }

  private static void awaitEnd(Thread thread) {
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // kept for the caller once the thread ended
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static RuntimeException rethrow(Throwable e) throws IOException {
    if (e instanceof IOException io) {
      throw io;
    }
    if (e instanceof RuntimeException r) {
      throw r;
    }
    if (e instanceof Error err) {
      throw err;
    }
    throw new IllegalStateException(e); // a reader throws nothing else checked
  }
}
