package io.wharf.server.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A response of JSON lines (NDJSON) written by a thread of its own, so that whoever produces the lines
 * never waits for the client: a client may well read the answer only once it has sent its whole
 * request. Lines queue in memory meanwhile, so producers bound how many they send. A client that went
 * away makes writing stop; the lines after that are dropped.
 */
final class NdjsonStream implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] END = new byte[0];

  private final BlockingQueue<byte[]> lines = new LinkedBlockingQueue<>();
  private final OutputStream out;
  private final Thread writer;
  private volatile boolean broken;

  NdjsonStream(OutputStream out, String name) {
    this.out = out;
    this.writer = new Thread(this::write, name);
    writer.setDaemon(true);
    writer.start();
  }

  void send(Object value) {
    try {
      lines.add(JSON.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Waits while more than {@code max} lines wait to be written, so that a producer of unbounded many lines
   * (an import of a whole directory) holds at most about that many for a slow client. Returns false once the
   * client is gone: nothing more will reach it.
   */
  boolean awaitRoom(int max) {
    while (!broken && lines.size() > max) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return !broken;
  }

  private void write() {
    while (true) {
      byte[] line;
      try {
        line = lines.take();
      } catch (InterruptedException e) {
        return;
      }
      if (line == END) {
        return;
      }
      if (broken) {
        continue; // dropped, and the queue drains
      }
      try {
        out.write(line);
        out.write('\n');
        if (lines.isEmpty()) {
          out.flush(); // progress reaches the client while the work goes on
        }
      } catch (IOException e) {
        broken = true;
      }
    }
  }

  /** Writes what is queued and waits until it is written (or the client is gone). */
  @Override
  public void close() {
    lines.add(END);
    boolean interrupted = false;
    while (writer.isAlive()) {
      try {
        writer.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
