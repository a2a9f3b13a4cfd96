package io.wharf.server.pkg;

/**
 * How many spooled files, and how many of their bytes, an import may hold before they are stored; the
 * reader waits when either runs out. A file larger than the whole byte budget waits until nothing else
 * is held, then goes alone.
 */
final class InFlight {
  private final int maxFiles;
  private final long maxBytes;
  private int files;
  private long bytes;

  InFlight(int maxFiles, long maxBytes) {
    this.maxFiles = maxFiles;
    this.maxBytes = maxBytes;
  }

  synchronized void acquire(long size) {
    boolean interrupted = false;
    while (files > 0 && (files >= maxFiles || bytes + size > maxBytes)) {
      try {
        wait();
      } catch (InterruptedException e) {
        interrupted = true; // what is held is released by other threads; keep the accounting whole
      }
    }
    files++;
    bytes += size;
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  synchronized void release(long size) {
    files--;
    bytes -= size;
    notifyAll();
  }
}
