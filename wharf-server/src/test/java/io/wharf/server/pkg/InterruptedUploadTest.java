package io.wharf.server.pkg;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.TestServer;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client that disconnects half-way through an upload leaves no row, no blob and no repodata change. */
class InterruptedUploadTest {
  @TempDir Path data;

  @Test
  void uploadCutOffHalfWayLeavesNoTrace() throws Exception {
    try (TestServer server = TestServer.start(data)) {
      server.createChannel("cut", "public");
      byte[] before = server.get("/conda/cut/linux-64/repodata.json").body();
      byte[] pkg = Files.readAllBytes(Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.tar.bz2"));

      try (Socket socket = new Socket("127.0.0.1", server.port())) {
        OutputStream out = socket.getOutputStream();
        String head = "PUT /api/channels/cut/files/zlib-1.2.11-h7b6447c_3.tar.bz2 HTTP/1.1\r\n"
            + "Host: 127.0.0.1\r\n"
            + "Authorization: Bearer " + TestServer.ADMIN_TOKEN + "\r\n"
            + "Content-Type: application/octet-stream\r\n"
            + "Content-Length: " + pkg.length + "\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(pkg, 0, pkg.length / 2);
        out.flush();
        // wait (bounded) until the server is mid-upload: its spool file exists
        Instant started = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(started) && spoolFiles(data.resolve("tmp")) == 0) {
          Thread.sleep(20);
        }
        assertThat(spoolFiles(data.resolve("tmp"))).isEqualTo(1);
      }

      // The server notices the cut-off asynchronously; wait (bounded) until its spool file is gone.
      Path spool = data.resolve("tmp");
      Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
      while (Instant.now().isBefore(deadline) && spoolFiles(spool) > 0) {
        Thread.sleep(50);
      }
      assertThat(spoolFiles(spool)).isZero();
      assertThat(server.getJson("/api/channels/cut/files")).isEmpty();
      assertThat(server.blobCount()).isZero();
      assertThat(server.get("/conda/cut/linux-64/repodata.json").body()).isEqualTo(before);

      // and the server still works
      assertThat(server.upload("cut", Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.tar.bz2")).statusCode())
          .isEqualTo(201);
    }
  }

  private static long spoolFiles(Path dir) throws java.io.IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (var s = Files.list(dir)) {
      return s.count();
    }
  }
}
