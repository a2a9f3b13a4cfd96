package io.wharf.server.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A data feed on a loopback port: a tar of the documents in a directory, served with its length, that
 * stops after the first {@code pauseAfter} documents until {@code rest} is counted down, so a test can look
 * at an import in the middle.
 */
public final class SlowFeed implements AutoCloseable {
  private final HttpServer http;
  private final int documents;

  private SlowFeed(HttpServer http, int documents) {
    this.http = http;
    this.documents = documents;
  }

  public static SlowFeed start(Path dir, int pauseAfter, CountDownLatch rest) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(Files::isRegularFile).sorted().limit(12).toList();
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int cut = 0;
    // 512-byte blocks, so each entry is in the output as soon as it is closed
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, 512)) {
      for (int i = 0; i < files.size(); i++) {
        byte[] doc = Files.readAllBytes(files.get(i));
        TarArchiveEntry e = new TarArchiveEntry(files.get(i).getFileName().toString());
        e.setSize(doc.length);
        tar.putArchiveEntry(e);
        tar.write(doc);
        tar.closeArchiveEntry();
        tar.flush();
        if (i + 1 == pauseAfter) {
          cut = bytes.size();
        }
      }
    }
    byte[] whole = bytes.toByteArray();
    int pause = cut;
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/", exchange -> {
      try (OutputStream out = exchange.getResponseBody()) {
        exchange.sendResponseHeaders(200, whole.length);
        out.write(whole, 0, pause);
        out.flush();
        if (!rest.await(60, TimeUnit.SECONDS)) {
          return; // the test gave up; end the body short
        }
        out.write(whole, pause, whole.length - pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    http.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    http.start();
    return new SlowFeed(http, files.size());
  }

  public String url(String name) {
    return "http://127.0.0.1:" + http.getAddress().getPort() + "/" + name;
  }

  public int documents() {
    return documents;
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
