package io.wharf.server.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.server.config.Operations;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request, in the Combined Log Format that log analysers read (Apache httpd's
 * {@code "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-agent}i\""}), or as one JSON object per line
 * for log shippers. The request line and the referer go through {@link LogRedaction}; the user field is
 * always {@code -}, and no header that carries credentials is ever written.
 *
 * <p>A request never waits for the log: Jetty may finish a request on its selector thread, where nothing
 * may block, so {@link #write} only formats the line and puts it in a bounded queue, and one background
 * thread writes and flushes it. When that thread cannot keep up and the queue is full (a stalled disk or
 * pipe), the line is dropped, never waited for: {@link #dropped()} counts the lost lines (exported as
 * {@code wharf_access_log_dropped_total}) and the writer says how many were lost in the application log.
 * {@link #close()} writes what is queued before it returns.
 */
final class AccessLog implements AutoCloseable {
  /** What one finished request left to log. {@code bytesSent} is the response body only. */
  record Entry(String remoteAddress, Instant time, String method, String target, String protocol, int status,
      long bytesSent, String referer, String userAgent, String route, long micros) {}

  private static final DateTimeFormatter CLF_TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneId.systemDefault());
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Lines waiting for the writer: a few seconds of a busy server's traffic, a few MB at most. */
  static final int QUEUE = 16_384;
  private static final Logger LOG = LoggerFactory.getLogger(AccessLog.class);
  private static final long CLOSE_WAIT_MILLIS = 10_000;

  private final Writer out;
  private final boolean closeOut;
  private final Operations.AccessLogFormat format;
  private final BlockingQueue<String> queue;
  private final AtomicLong dropped = new AtomicLong();
  private final Thread writer;
  private volatile boolean closed;

  AccessLog(Writer out, boolean closeOut, Operations.AccessLogFormat format, int capacity) {
    this.out = out;
    this.closeOut = closeOut;
    this.format = format;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.writer = new Thread(this::drain, "wharf-access-log");
    writer.setDaemon(true);
    writer.start();
  }

  private AccessLog(Writer out, boolean closeOut, Operations.AccessLogFormat format) {
    this(out, closeOut, format, QUEUE);
  }

  /** The configured log, or null when there is none. */
  static AccessLog open(Operations ops, PrintStream stdout) {
    if (ops.accessLog() == null) {
      return null;
    }
    if (ops.accessLog().equals(Operations.STDOUT)) {
      return new AccessLog(new java.io.OutputStreamWriter(stdout, StandardCharsets.UTF_8), false,
          ops.accessLogFormat());
    }
    try {
      Path file = ops.accessLog();
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      return new AccessLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND), true, ops.accessLogFormat());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the access log " + ops.accessLog(), e);
    }
  }

  /** Queues the request's line; never waits. A line that finds the queue full (or the log closed) is dropped. */
  void write(Entry e) {
    String line = format == Operations.AccessLogFormat.JSON ? json(e) : combined(e);
    if (closed || !queue.offer(line)) {
      dropped.incrementAndGet();
    }
  }

  /** Lines lost since the start because the writer could not keep up, or written after {@link #close()}. */
  long dropped() {
    return dropped.get();
  }

  /** The writer thread: writes what is queued, flushes when the queue is empty, until closed and drained. */
  private void drain() {
    long reported = 0;
    List<String> batch = new ArrayList<>();
    while (true) {
      String first;
      try {
        first = queue.poll(100, TimeUnit.MILLISECONDS); // wakes up now and then to see whether it is closed
      } catch (InterruptedException e) {
        return;
      }
      if (first == null) {
        if (closed && queue.isEmpty()) {
          return;
        }
        continue;
      }
      batch.add(first);
      queue.drainTo(batch);
      try {
        for (String line : batch) {
          out.write(line);
          out.write('\n');
        }
        out.flush();
      } catch (IOException ignored) {
        // a full disk must not fail requests; these lines are lost
      }
      batch.clear();
      long lost = dropped.get();
      if (lost != reported) {
        LOG.warn("access log: {} lines dropped in all, the log could not be written as fast as requests came", lost);
        reported = lost;
      }
    }
  }

  static String combined(Entry e) {
    return field(e.remoteAddress()) + " - - [" + CLF_TIME.format(e.time()) + "] \""
        + quoted(e.method() + " " + LogRedaction.text(e.target()) + " " + e.protocol()) + "\" " + e.status() + " "
        + (e.bytesSent() > 0 ? String.valueOf(e.bytesSent()) : "-") + " \""
        + quoted(e.referer() == null ? "-" : LogRedaction.text(e.referer())) + "\" \""
        + quoted(e.userAgent() == null ? "-" : e.userAgent()) + "\"";
  }

  static String json(Entry e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("time", e.time().toString());
    m.put("remote_addr", e.remoteAddress());
    m.put("method", e.method());
    m.put("path", LogRedaction.text(e.target()));
    m.put("route", e.route());
    m.put("protocol", e.protocol());
    m.put("status", e.status());
    m.put("bytes_sent", e.bytesSent());
    m.put("duration_us", e.micros());
    m.put("referer", e.referer() == null ? null : LogRedaction.text(e.referer()));
    m.put("user_agent", e.userAgent());
    try {
      return JSON.writeValueAsString(m);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException(ex);
    }
  }

  private static String field(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }

  /** A quoted field holds no raw quote, backslash or control character (a forged line could follow). */
  private static String quoted(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        b.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /** Stops taking lines, writes those queued (waiting a bounded time), then closes the file. */
  @Override
  public void close() {
    closed = true; // no interrupt: it would close a file channel in the middle of a write
    try {
      writer.join(CLOSE_WAIT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (closeOut) {
      try {
        out.close();
      } catch (IOException ignored) {
        // nothing left to do with it
      }
    }
  }
}
