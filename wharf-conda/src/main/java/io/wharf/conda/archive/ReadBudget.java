package io.wharf.conda.archive;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * What one read of one package has spent: decompressed bytes, compressed bytes read, entries and CPU time.
 * Every reader charges it as it goes; every {@link #CHECK_INTERVAL} bytes (and at every entry) it asks the
 * clock and the caller's cancellation check, so that no single call into a decompressor can run on for long
 * unobserved. Used by one thread only.
 */
final class ReadBudget {
  /** Bytes (compressed read plus decompressed produced) between two clock and cancellation checks. */
  static final long CHECK_INTERVAL = 1L << 20;

  /** A limit of the read was reached; {@link #code()} is the refusal's machine code. */
  static final class Exceeded extends IOException {
    private final String code;

    Exceeded(String code, String message) {
      super(message);
      this.code = code;
    }

    String code() {
      return code;
    }
  }

  private final ReadLimits limits;
  private final BooleanSupplier cancelled;
  private final LongSupplier cpuNanos;
  private final long startNanos;
  private long decompressed;
  private long compressedRead;
  private int entries;
  private long sinceCheck;

  ReadBudget(ReadLimits limits, BooleanSupplier cancelled, LongSupplier cpuNanos) {
    this.limits = limits;
    this.cancelled = cancelled;
    this.cpuNanos = cpuNanos;
    this.startNanos = cpuNanos.getAsLong();
  }

  static ReadBudget of(ReadLimits limits, BooleanSupplier cancelled) {
    return new ReadBudget(limits, cancelled, threadCpuClock());
  }

  ReadLimits limits() {
    return limits;
  }

  long decompressedBytes() {
    return decompressed;
  }

  long compressedBytesRead() {
    return compressedRead;
  }

  int entries() {
    return entries;
  }

  void chargeDecompressed(long n) throws Exceeded {
    decompressed += n;
    if (decompressed > limits.maxDecompressedBytes()) {
      throw new Exceeded("too_large", "the package decompresses to more than "
          + ReadLimits.size(limits.maxDecompressedBytes()) + ", the limit for any upload");
    }
    tick(n);
  }

  void chargeCompressed(long n) throws Exceeded {
    compressedRead += n;
    tick(n);
  }

  /** One more archive member (ZIP entry or tar entry); also a checkpoint. */
  void chargeEntry(String container) throws Exceeded {
    if (++entries > limits.maxEntries()) {
      throw new Exceeded("too_large", container + " has more than " + limits.maxEntries()
          + " entries, the limit for one upload");
    }
    checkpoint();
  }

  /** Refuses to go on once the read was cancelled or has used up its CPU time. */
  void checkpoint() throws Exceeded {
    sinceCheck = 0;
    if (cancelled.getAsBoolean()) {
      throw new Exceeded("cancelled", "reading the package was cancelled");
    }
    long spent = cpuNanos.getAsLong() - startNanos;
    if (spent > limits.maxCpuTime().toNanos()) {
      throw new Exceeded("too_costly", "reading the package took more than " + seconds(limits.maxCpuTime().toMillis())
          + " of CPU time, the limit for one upload, after " + decompressed + " decompressed bytes;"
          + " packages that keep info/ at the start are read in far less");
    }
  }

  private void tick(long n) throws Exceeded {
    sinceCheck += n;
    if (sinceCheck >= CHECK_INTERVAL) {
      checkpoint();
    }
  }

  private static String seconds(long millis) {
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }

  /** The calling thread's CPU time where the JVM measures it, else elapsed time (which is never less). */
  private static LongSupplier threadCpuClock() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    if (threads.isCurrentThreadCpuTimeSupported()) {
      try {
        if (!threads.isThreadCpuTimeEnabled()) {
          threads.setThreadCpuTimeEnabled(true);
        }
        if (threads.getCurrentThreadCpuTime() >= 0) {
          return threads::getCurrentThreadCpuTime;
        }
      } catch (UnsupportedOperationException | SecurityException e) {
        // fall through to elapsed time
      }
    }
    return System::nanoTime;
  }
}
