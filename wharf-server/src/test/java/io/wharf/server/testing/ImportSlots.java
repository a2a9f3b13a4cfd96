package io.wharf.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds both of a server's import slots with imports (into {@code channel}) whose bodies have not come yet, until
 * closed, when the bodies end empty. A probe (an import of an empty directory below the server's
 * {@code import.directories}) may take a slot before a holder does, which that holder is then refused; so holders
 * are added until a probe finds both slots taken.
 */
public final class ImportSlots implements AutoCloseable {
  private final List<Socket> holders = new ArrayList<>();

  private ImportSlots() {}

  public static ImportSlots holdAll(TestServer server, String channel, Path importable) throws Exception {
    ImportSlots slots = new ImportSlots();
    String empty = "{\"directory\":\"" + Files.createDirectories(importable.resolve("empty-probe")) + "\"}";
    long end = System.nanoTime() + 60_000_000_000L;
    HttpResponse<byte[]> probe;
    try {
      do {
        Socket holder = new Socket("127.0.0.1", server.port());
        slots.holders.add(holder);
        holder.getOutputStream().write(("POST /api/channels/" + channel + "/import HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Authorization: Bearer " + TestServer.ADMIN_TOKEN + "\r\nContent-Type: application/x-tar\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        holder.getOutputStream().flush();
        Thread.sleep(100);
        probe = server.importDirectory(channel, empty);
      } while (probe.statusCode() != 503 && System.nanoTime() < end);
      assertThat(probe.statusCode()).as(new String(probe.body(), StandardCharsets.UTF_8)).isEqualTo(503);
      assertThat(TestServer.json(probe).path("error").asText()).isEqualTo("import_busy");
    } catch (Exception | AssertionError e) {
      slots.close();
      throw e;
    }
    return slots;
  }

  /** Ends the holders' bodies (empty), which frees the slots. */
  @Override
  public void close() throws IOException {
    for (Socket holder : holders) {
      try (holder) {
        holder.getOutputStream().write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        holder.getOutputStream().flush();
        holder.setSoTimeout(30_000);
        holder.getInputStream().readNBytes(1); // the answer has begun: the import ended and its slot is free
      } catch (IOException refusedAlready) {
        // a holder that was refused a slot has its answer and may be closed by the server
      }
    }
    holders.clear();
  }
}
