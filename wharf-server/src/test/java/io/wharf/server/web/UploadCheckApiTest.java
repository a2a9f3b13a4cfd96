package io.wharf.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.testing.TestServer;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/channels/{channel}/upload-check/{filename}} answers what the upload would get before
 * its body is read: 204, or the upload's own refusal.
 */
class UploadCheckApiTest {
  private static final String ZLIB = "zlib-1.2.11-h7b6447c_3.conda";

  @TempDir static Path data;
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(data, Map.of("max.upload", "200K"));
    assertThat(server.createChannel("checked", "public").statusCode()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<byte[]> check(HttpRequest.Builder request) {
    return server.send(request.GET());
  }

  private static HttpResponse<byte[]> asAdmin(String channel, String filename, String query) {
    return check(server.admin("/api/channels/" + channel + "/upload-check/" + filename + query));
  }

  private static void assertRefused(HttpResponse<byte[]> res, int status, String code) {
    assertThat(res.statusCode()).as(new String(res.body(), StandardCharsets.UTF_8)).isEqualTo(status);
    assertThat(TestServer.json(res).get("error").asText()).isEqualTo(code);
  }

  @Test
  void anUploadThatWouldBeAskedForItsBodyIsAnswered204AndLeavesNothingBehind() throws IOException {
    HttpResponse<byte[]> res = asAdmin("checked", ZLIB, "?size=100000&label=beta");
    assertThat(res.statusCode()).as(new String(res.body(), StandardCharsets.UTF_8)).isEqualTo(204);
    assertThat(asAdmin("checked", ZLIB, "").statusCode()).as("without a size").isEqualTo(204);
    assertThat(server.getJson("/api/channels/checked/files")).isEmpty();
    assertThat(server.blobCount()).isZero();
    try (Stream<Path> spool = Files.list(data.resolve("tmp"))) {
      assertThat(spool).as("spool files").isEmpty();
    }
  }

  @Test
  void eachRefusalThatNeedsNoBodyIsTheUploadsOwn() {
    assertRefused(check(server.request("/api/channels/checked/upload-check/" + ZLIB + "?size=1")), 401,
        "unauthorized");
    assertRefused(check(server.request("/api/channels/checked/upload-check/" + ZLIB + "?size=1")
        .header("Authorization", "Bearer wrong-token-0123456789")), 401, "unauthorized");
    assertRefused(asAdmin("nosuch", ZLIB, "?size=1"), 404, "channel_not_found");
    assertRefused(asAdmin("checked", ZLIB, "?size=1&label=9lives"), 400, "invalid_label");
    assertRefused(asAdmin("checked", "zlib.zip", "?size=1"), 400, "invalid_filename");
    HttpResponse<byte[]> tooLarge = asAdmin("checked", ZLIB, "?size=" + (200 * 1024 + 1));
    assertRefused(tooLarge, 413, "too_large");
    assertThat(TestServer.json(tooLarge).get("details").get("limit_bytes").asLong()).isEqualTo(200 * 1024);
  }

  @Test
  void aSizeThatIsNotANumberOfBytesIsRefused() {
    assertRefused(asAdmin("checked", ZLIB, "?size=lots"), 400, "invalid_size");
    assertRefused(asAdmin("checked", ZLIB, "?size=-5"), 400, "invalid_size");
  }
}
