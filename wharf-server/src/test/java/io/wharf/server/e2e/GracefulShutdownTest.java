package io.wharf.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.RawHttp;
import io.wharf.server.testing.ServerProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to a real server process in the middle of an upload: the process stops within its bound, the
 * client gets an answer or a closed connection (never a hang), and the data directory holds no spool file
 * and no partial blob.
 */
class GracefulShutdownTest {
  private static final String ADMIN = "shutdown-admin-token-0123456789";
  private static final String ZLIB = "zlib-1.2.11-h7b6447c_3.conda";
  private static final Duration STOP_BOUND = Duration.ofSeconds(3);
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @TempDir Path data;
  @TempDir Path logs;

  @Test
  void anUploadInFlightWhenSigtermArrivesIsFinishedAndStored() throws Exception {
    byte[] pkg = Files.readAllBytes(Fixtures.realPackage(ZLIB));
    ServerProcess server = start();
    try (Socket socket = uploadStarted(server, pkg)) {
      OutputStream out = socket.getOutputStream();
      out.write(pkg, 0, pkg.length / 2);
      out.flush();
      Thread.sleep(300); // the handler is reading the body
      Thread stopper = new Thread(() -> terminate(server));
      stopper.start();
      Thread.sleep(500); // the stop has begun: the server no longer accepts
      assertThat(refusesNewConnections(server)).as("a stopping server takes no new connection").isTrue();
      out.write(pkg, pkg.length / 2, pkg.length - pkg.length / 2);
      out.flush();
      RawHttp.Response res = RawHttp.read(socket.getInputStream());
      assertThat(res.status()).as(res.body()).isEqualTo(201);
      stopper.join(DEADLINE.toMillis());
      assertThat(server.isAlive()).isFalse();
    }
    assertNothingPartial();
    assertThat(blobs()).hasSize(1);
    assertThat(blobs().get(0).getFileName().toString()).isEqualTo(sha256(pkg));
  }

  @Test
  void anUploadThatStallsPastTheStopBoundGetsItsConnectionClosedAndLeavesNothing() throws Exception {
    byte[] pkg = Files.readAllBytes(Fixtures.realPackage(ZLIB));
    ServerProcess server = start();
    try (Socket socket = uploadStarted(server, pkg)) {
      socket.getOutputStream().write(pkg, 0, pkg.length / 2);
      socket.getOutputStream().flush();
      Thread.sleep(300);
      long started = System.nanoTime();
      terminate(server);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).as("stopped within the bound and some slack")
          .isLessThan(STOP_BOUND.plusSeconds(20));
      socket.setSoTimeout((int) DEADLINE.toMillis());
      assertThat(endOfAnswer(socket.getInputStream())).as("the client sees the end, not a hang").isTrue();
    }
    assertNothingPartial();
    assertThat(blobs()).isEmpty();
  }

  private ServerProcess start() throws Exception {
    ServerProcess server = ServerProcess.start(List.of("--data", data.toString()),
        Map.of("WHARF_ADMIN_TOKEN", ADMIN, "WHARF_SHUTDOWN_TIMEOUT_MS", String.valueOf(STOP_BOUND.toMillis())),
        logs.resolve("server.log"));
    assertThat(server.awaitServing(DEADLINE)).as(server.logText()).isTrue();
    HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(server.url() + "/api/channels")).header("Authorization", "Bearer " + ADMIN)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"c\",\"privacy\":\"public\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return server;
  }

  /** A PUT whose headers are sent and whose body is not yet. */
  private static Socket uploadStarted(ServerProcess server, byte[] pkg) throws IOException {
    Socket socket = new Socket("127.0.0.1", server.port());
    socket.setSoTimeout((int) DEADLINE.toMillis());
    String head = "PUT /api/channels/c/files/" + ZLIB + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Authorization: Bearer " + ADMIN + "\r\nContent-Length: " + pkg.length + "\r\n\r\n";
    socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
    return socket;
  }

  private static void terminate(ServerProcess server) {
    try {
      server.terminate(DEADLINE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean refusesNewConnections(ServerProcess server) {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      return false;
    } catch (IOException refused) {
      return true;
    }
  }

  /** Reads until the server closes the connection (an answer, then the end, or a reset). */
  private static boolean endOfAnswer(InputStream in) throws IOException {
    byte[] buf = new byte[8192];
    try {
      while (in.read(buf) >= 0) {
        // an answer may come before the close
      }
      return true;
    } catch (SocketTimeoutException hang) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  private void assertNothingPartial() throws Exception {
    try (Stream<Path> spool = Files.walk(data.resolve("tmp"))) {
      assertThat(spool.filter(Files::isRegularFile)).as("spool files").isEmpty();
    }
    Path storeTmp = data.resolve("blobs").resolve(".tmp");
    if (Files.exists(storeTmp)) {
      try (Stream<Path> partial = Files.walk(storeTmp)) {
        assertThat(partial.filter(Files::isRegularFile)).as("blobs being written").isEmpty();
      }
    }
    for (Path blob : blobs()) {
      assertThat(sha256(Files.readAllBytes(blob))).as("a blob is whole").isEqualTo(blob.getFileName().toString());
    }
  }

  private List<Path> blobs() throws IOException {
    Path dir = data.resolve("blobs").resolve("sha256");
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).toList();
    }
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
