package io.wharf.server.mirror;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP relay in front of an upstream channel (a Wharf, a static file server) that logs every request
 * (path, conditional header, status) so a test can count what a mirror asked of its upstream, and that
 * can be told to refuse package files after some, to stand for an upstream that goes away mid-run.
 */
final class UpstreamProxy implements AutoCloseable {
  /** One request as the upstream saw it. */
  record Hit(String path, String ifNoneMatch, String authorization, int status) {}

  private final HttpServer server;
  private final String target;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Hit> hits = new CopyOnWriteArrayList<>();
  private final AtomicInteger filesLeft = new AtomicInteger(Integer.MAX_VALUE);
  private volatile long delayFilesMillis;
  private volatile String heldSuffix;
  private volatile CountDownLatch heldReached = new CountDownLatch(0);
  private volatile CountDownLatch heldRelease = new CountDownLatch(0);

  UpstreamProxy(String target) throws IOException {
    this.target = target;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::relay);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  List<Hit> hits() {
    return List.copyOf(hits);
  }

  long count(String pathSuffix) {
    return hits.stream().filter(h -> h.path().endsWith(pathSuffix)).count();
  }

  void clear() {
    hits.clear();
  }

  /** Package files after the next {@code n} are answered 503. */
  void allowFiles(int n) {
    filesLeft.set(n);
  }

  /** Package files are held back this long before they are relayed (to let many clients ask at once). */
  void delayFiles(long millis) {
    delayFilesMillis = millis;
  }

  /**
   * The next request whose path ends with {@code suffix} waits until {@code release} opens; the latch returned
   * opens when that request arrived.
   */
  CountDownLatch hold(String suffix, CountDownLatch release) {
    heldReached = new CountDownLatch(1);
    heldRelease = release;
    heldSuffix = suffix;
    return heldReached;
  }

  private void relay(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getRawPath();
    String held = heldSuffix;
    if (held != null && path.endsWith(held)) {
      heldSuffix = null;
      heldReached.countDown();
      try {
        heldRelease.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    boolean file = path.endsWith(".conda") || path.endsWith(".tar.bz2");
    try (ex) {
      if (file && filesLeft.getAndDecrement() <= 0) {
        hits.add(new Hit(path, null, null, 503));
        ex.sendResponseHeaders(503, -1);
        return;
      }
      if (file && delayFilesMillis > 0) {
        Thread.sleep(delayFilesMillis);
      }
      HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(target + ex.getRequestURI())).GET();
      for (String h : List.of("If-None-Match", "If-Modified-Since", "Authorization")) {
        String v = ex.getRequestHeaders().getFirst(h);
        if (v != null) {
          req.header(h, v);
        }
      }
      HttpResponse<InputStream> res = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
      hits.add(new Hit(path, ex.getRequestHeaders().getFirst("If-None-Match"),
          ex.getRequestHeaders().getFirst("Authorization"), res.statusCode()));
      for (String h : List.of("ETag", "Last-Modified", "Content-Type")) {
        res.headers().firstValue(h).ifPresent(v -> ex.getResponseHeaders().add(h, v));
      }
      try (InputStream in = res.body()) {
        if (res.statusCode() == 304) {
          ex.sendResponseHeaders(304, -1);
          return;
        }
        byte[] body = in.readAllBytes();
        ex.sendResponseHeaders(res.statusCode(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(body);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
