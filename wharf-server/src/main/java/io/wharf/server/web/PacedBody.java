package io.wharf.server.web;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.jetty.http.BadMessageException;

/**
 * A request body that must arrive at a minimum average rate, counted over the time spent waiting for the
 * client only. Jetty's own minimum data rate counts from a body's first byte to each read, so a small body
 * that arrived whole but was read a few tens of milliseconds later (a busy machine, an upload waiting for
 * the database) looked slower than the rate and was refused; time the server spends between reads is not
 * the client's. After a grace period of waiting, a body that falls behind fails the read with the same 408
 * Jetty gives, which the error mapping answers with {@code Connection: close}.
 */
final class PacedBody extends FilterInputStream {
  static final long GRACE_NANOS = 1_000_000_000L;

  private final long bytesPerSecond;
  private long received;
  private long waitedNanos;

  PacedBody(InputStream in, long bytesPerSecond) {
    super(in);
    this.bytesPerSecond = bytesPerSecond;
  }

  @Override
  public int read() throws IOException {
    long started = System.nanoTime();
    int b = super.read();
    account(b < 0 ? 0 : 1, System.nanoTime() - started);
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    long started = System.nanoTime();
    int n = super.read(buf, off, len);
    account(Math.max(n, 0), System.nanoTime() - started);
    return n;
  }

  private void account(int n, long nanos) {
    received += n;
    waitedNanos += nanos;
    if (bytesPerSecond <= 0 || waitedNanos <= GRACE_NANOS) {
      return;
    }
    double owed = bytesPerSecond * ((waitedNanos - GRACE_NANOS) / 1e9);
    if (received < owed) {
      throw new BadMessageException(408, "the body arrived at less than " + bytesPerSecond + " bytes/s");
    }
  }
}
