package io.wharf.conda.archive;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the decompressed bytes of one stream, charges them to the read's {@link ReadBudget} and fails once
 * the stream's own allowance (relative to its compressed size) is spent. A second, short "window" budget
 * bounds what the tar reader may consume while parsing one header: long names and PAX records are buffered
 * in memory by commons-compress, and a bzip2 or zstd bomb can make them huge.
 */
final class BudgetedInputStream extends FilterInputStream {
  private final ReadBudget budget;
  private final long max;
  private final String overMax;
  private long consumed;
  private long windowEnd = Long.MAX_VALUE;
  private String windowWhat;

  /**
   * @param max decompressed bytes this stream may produce
   * @param overMax the refusal once they are exceeded
   */
  BudgetedInputStream(InputStream in, ReadBudget budget, long max, String overMax) {
    super(in);
    this.budget = budget;
    this.max = max;
    this.overMax = overMax;
  }

  long consumed() {
    return consumed;
  }

  void openWindow(long bytes, String what) {
    windowEnd = consumed + bytes;
    windowWhat = what;
  }

  void closeWindow() {
    windowEnd = Long.MAX_VALUE;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      charge(1);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0) {
      charge(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // Skipping still decompresses; route it through read so it is charged.
    byte[] scratch = new byte[(int) Math.min(8192, Math.max(n, 1))];
    long skipped = 0;
    while (skipped < n) {
      int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void charge(int n) throws IOException {
    consumed += n;
    budget.chargeDecompressed(n);
    if (consumed > max) {
      throw new ReadBudget.Exceeded("too_large", overMax);
    }
    if (consumed > windowEnd) {
      throw new ReadBudget.Exceeded("too_large", windowWhat);
    }
  }
}
