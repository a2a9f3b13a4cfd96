package io.wharf.server.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Raw-socket clients on loopback that announce a request body and send it at a set pace. When the server
 * answers or closes, a client connects again after a short pause, as a client that retries would, so the
 * server keeps facing the same number of slow connections until {@link #close()}.
 */
final class SlowBodyClients implements AutoCloseable {
  /**
   * One kind of slow client.
   *
   * @param requestLine e.g. {@code PUT /api/channels/pub/files/x-1.0-0.conda}
   * @param headers extra header lines, each ending in CRLF
   * @param chunk bytes sent each {@code tick}
   */
  record Kind(String name, String requestLine, String headers, long contentLength, int chunk, Duration tick) {}

  private static final Duration RETRY_PAUSE = Duration.ofMillis(100);

  private final int port;
  private final List<Thread> threads = new ArrayList<>();
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final Set<String> connectedOnce = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
  private final AtomicInteger resets = new AtomicInteger();
  private volatile boolean stopped;

  private SlowBodyClients(int port) {
    this.port = port;
  }

  static SlowBodyClients start(int port, Map<Kind, Integer> counts) {
    SlowBodyClients clients = new SlowBodyClients(port);
    counts.forEach((kind, count) -> {
      for (int i = 0; i < count; i++) {
        String id = kind.name() + "-" + i;
        Thread t = new Thread(() -> clients.run(kind, id), "slow-client-" + id);
        t.setDaemon(true);
        clients.threads.add(t);
        t.start();
      }
    });
    return clients;
  }

  /** How many clients have had a connection accepted at least once. */
  int connectedOnce() {
    return connectedOnce.size();
  }

  /** Status lines received, by kind name and status code, e.g. {@code "put-trickle 401" -> 12}. */
  Map<String, Integer> answers() {
    Map<String, Integer> copy = new java.util.TreeMap<>();
    answers.forEach((k, v) -> copy.put(k, v.get()));
    return copy;
  }

  /** Connections that ended in an error instead of an answer or an orderly close. */
  int resets() {
    return resets.get();
  }

  private void run(Kind kind, String id) {
    byte[] head = (kind.requestLine() + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + kind.headers()
        + "Content-Length: " + kind.contentLength() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] chunk = new byte[kind.chunk()];
    java.util.Arrays.fill(chunk, (byte) 'x');
    while (!stopped) {
      try (Socket socket = new Socket("127.0.0.1", port)) {
        sockets.add(socket);
        connectedOnce.add(id);
        socket.setSoTimeout((int) kind.tick().toMillis());
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        out.write(head);
        long sent = 0;
        while (!stopped) {
          try {
            String status = statusLine(in);
            if (status != null) {
              String[] parts = status.split(" ");
              answers.computeIfAbsent(kind.name() + " " + (parts.length > 1 ? parts[1] : "?"),
                  k -> new AtomicInteger()).incrementAndGet();
            }
            break;
          } catch (SocketTimeoutException e) {
            if (sent < kind.contentLength()) {
              int n = (int) Math.min(chunk.length, kind.contentLength() - sent);
              out.write(chunk, 0, n);
              sent += n;
            }
          }
        }
      } catch (IOException e) {
        if (!stopped) {
          resets.incrementAndGet();
        }
      } finally {
        sockets.removeIf(Socket::isClosed);
      }
      pause(RETRY_PAUSE);
    }
  }

  /** The first line of the answer, or null if the server closed without one. */
  private static String statusLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c = in.read(); // times out while the server says nothing
    while (c >= 0 && c != '\n') {
      if (c != '\r') {
        line.append((char) c);
      }
      c = readPatiently(in);
    }
    return line.length() == 0 ? null : line.toString();
  }

  private static int readPatiently(InputStream in) throws IOException {
    for (int attempt = 0; ; attempt++) {
      try {
        return in.read();
      } catch (SocketTimeoutException e) {
        if (attempt > 50) {
          throw e;
        }
      }
    }
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stopped = true;
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    for (Thread t : threads) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
