package io.wharf.server.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A bounded pipe between one writing thread and whichever threads read (the HTTP client reads from its
 * own pool, which {@link java.io.PipedInputStream} does not allow). The writer blocks when
 * {@code maxChunks} chunks wait unread. A writer that fails calls {@link #fail}, and the reader then
 * gets that failure instead of a clean end of stream; a reader that stops early calls {@link #abandon},
 * and the writer's next write fails instead of waiting for ever.
 */
final class ChunkPipe {
  private static final byte[] END = new byte[0];

  private final BlockingQueue<byte[]> chunks;
  private volatile IOException failure;
  private volatile boolean abandoned;

  ChunkPipe(int maxChunks) {
    chunks = new ArrayBlockingQueue<>(maxChunks);
  }

  OutputStream sink() {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (len > 0) {
          put(Arrays.copyOfRange(b, off, off + len));
        }
      }

      @Override
      public void close() throws IOException {
        put(END);
      }
    };
  }

  void fail(IOException e) {
    failure = e;
    chunks.clear();
    chunks.offer(END);
  }

  /** Nobody will read any more. */
  void abandon() {
    abandoned = true;
    chunks.clear();
  }

  boolean abandoned() {
    return abandoned;
  }

  private void put(byte[] chunk) throws IOException {
    try {
      while (!chunks.offer(chunk, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
        if (abandoned) {
          throw new IOException("the request ended before the files were sent");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while sending");
    }
  }

  InputStream source() {
    return new InputStream() {
      private byte[] current = new byte[0];
      private int pos;
      private boolean ended;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
      }

      @Override
      public void close() {
        abandon();
      }

      @Override
      public synchronized int read(byte[] b, int off, int len) throws IOException {
        while (pos == current.length) {
          if (ended) {
            return -1;
          }
          try {
            current = chunks.take();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while sending");
          }
          pos = 0;
          if (current == END) {
            ended = true;
            if (failure != null) {
              throw failure;
            }
          }
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
      }
    };
  }
}
