package io.wharf.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.conda.archive.PackageWriter;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.TestServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What deleting, replacing and misconfiguring must never do to clients or to stored packages. */
class PublishingSafetyTest {
  @TempDir Path dir;

  @Test
  void aNodeRefusesToStartOnABlobStoreThatBelongsToAnotherDatabase() {
    Path store = dir.resolve("shared-blobs");
    try (TestServer first = TestServer.start(dir.resolve("first"), Map.of("storage", store.toString()))) {
      assertThat(first.createChannel("c", "public").statusCode()).isEqualTo(201);
      assertThat(first.upload("c", Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.conda")).statusCode()).isEqualTo(201);
    }
    // a second database (say, a misspelt database URL that starts an empty one) beside the same store
    assertThatThrownBy(() -> TestServer.start(dir.resolve("second"), Map.of("storage", store.toString())))
        .hasStackTraceContaining("belongs to another database");
    // the packages are untouched, and the right database still starts on it
    try (TestServer again = TestServer.start(dir.resolve("first"), Map.of("storage", store.toString()))) {
      assertThat(again.get("/conda/c/linux-64/zlib-1.2.11-h7b6447c_3.conda").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void deletingAFileWhileAClientDownloadsItNeverFailsThatDownload() throws Exception {
    Path pkg = dir.resolve("big-1.0-0.tar.bz2");
    byte[] payload = new byte[8 << 20];
    new Random(1).nextBytes(payload);
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("info/index.json", ("{\"name\":\"big\",\"version\":\"1.0\",\"build\":\"0\",\"build_number\":0,"
        + "\"subdir\":\"noarch\",\"depends\":[]}").getBytes(StandardCharsets.UTF_8));
    files.put("info/paths.json", "{\"paths\":[],\"paths_version\":1}".getBytes(StandardCharsets.UTF_8));
    files.put("share/big.bin", payload);
    PackageWriter.writeTarBz2(pkg, files);
    byte[] expected = Files.readAllBytes(pkg);

    try (TestServer server = TestServer.start(dir.resolve("data"))) {
      assertThat(server.createChannel("d", "public").statusCode()).isEqualTo(201);
      assertThat(server.upload("d", pkg).statusCode()).isEqualTo(201);
      String url = server.url() + "/conda/d/noarch/big-1.0-0.tar.bz2";
      HttpResponse<InputStream> download = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
      assertThat(download.statusCode()).isEqualTo(200);
      try (InputStream body = download.body()) {
        byte[] start = body.readNBytes(64 * 1024);
        assertThat(server.send(server.admin("/api/channels/d/files/noarch/big-1.0-0.tar.bz2").DELETE())
            .statusCode()).isEqualTo(204);
        byte[] rest = body.readAllBytes();
        byte[] whole = new byte[start.length + rest.length];
        System.arraycopy(start, 0, whole, 0, start.length);
        System.arraycopy(rest, 0, whole, start.length, rest.length);
        assertThat(whole).as("the download that began before the delete completes").isEqualTo(expected);
      }
      assertThat(server.get("/conda/d/noarch/big-1.0-0.tar.bz2").statusCode())
          .as("a request after the delete finds nothing, cleanly").isEqualTo(404);
    }
  }

  @Test
  void aRestartedNodeLeavesNoSpoolFilesOfUploadsItWasReceiving() throws Exception {
    Path data = dir.resolve("spool");
    try (TestServer server = TestServer.start(data)) {
      assertThat(server.createChannel("s", "public").statusCode()).isEqualTo(201);
    }
    // what a crash in the middle of an upload leaves, and one in the middle of a first start
    Files.writeString(data.resolve("tmp").resolve("upload-123.part"), "half a package");
    Files.writeString(data.resolve("tmp").resolve("identity-456.txt"), "half a store identity");
    try (TestServer server = TestServer.start(data)) {
      try (var left = Files.list(data.resolve("tmp"))) {
        assertThat(left.map(p -> p.getFileName().toString())).isEmpty();
      }
    }
  }
}
