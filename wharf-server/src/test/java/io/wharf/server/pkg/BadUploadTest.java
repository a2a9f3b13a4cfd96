package io.wharf.server.pkg;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.conda.archive.PackageWriter;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.TestServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each hostile or broken upload gets a clear 4xx JSON error and leaves no row, no blob and no repodata change. */
class BadUploadTest {
  @TempDir static Path data;
  @TempDir static Path work;
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(data, Map.of("max.upload", "200K"));
    server.createChannel("bad", "public");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private JsonNode assertRefused(String filename, Path file, int status, String code) {
    byte[] noarchBefore = server.get("/conda/bad/noarch/repodata.json").body();
    byte[] linuxBefore = server.get("/conda/bad/linux-64/repodata.json").body();
    long blobsBefore = server.blobCount();
    HttpResponse<byte[]> res = server.upload("bad", filename, file, "");
    assertThat(res.statusCode()).as(new String(res.body(), StandardCharsets.UTF_8)).isEqualTo(status);
    JsonNode body = TestServer.json(res);
    assertThat(body.get("error").asText()).isEqualTo(code);
    assertThat(body.get("message").asText()).isNotBlank();
    assertThat(server.blobCount()).isEqualTo(blobsBefore);
    assertThat(server.getJson("/api/channels/bad/files")).isEmpty();
    assertThat(server.get("/conda/bad/noarch/repodata.json").body()).isEqualTo(noarchBefore);
    assertThat(server.get("/conda/bad/linux-64/repodata.json").body()).isEqualTo(linuxBefore);
    assertThat(server.get("/health/live").statusCode()).isEqualTo(200);
    return body;
  }

  @Test
  void corruptTarBz2IsRefused() {
    Path f = Fixtures.corruptPackage("bad_package.tar.bz2");
    assertRefused("bad_package-1.0-0.tar.bz2", f, 400, "not_a_conda_package");
  }

  @Test
  void aFileThatIsNotAZipIsNamedOnceAndTheSpoolFileNever() throws IOException {
    Path text = Files.writeString(work.resolve("text.conda"), "just some text");

    JsonNode body = assertRefused("x-1.0-0.conda", text, 400, "not_a_conda_package");

    assertThat(body.get("message").asText())
        .isEqualTo("x-1.0-0.conda: the file is not a ZIP file, so it is not a .conda package");
  }

  @Test
  void aDecompressionBombIsRefusedWithAMessageNamingTheLimit() throws IOException {
    // about 50 KB that expands to 4 GiB of zeros before its info/ files
    Path bomb = work.resolve("bomb.tar.bz2");
    PackageWriter.writeTarBz2WithZeros(bomb, java.util.List.of(), "lib/zeros.bin", 4L << 30,
        PackageWriter.files(demoInfo("bomb", "[]")));

    JsonNode body = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofMinutes(3),
        () -> assertRefused("bomb-1.0-0.tar.bz2", bomb, 400, "too_large"));

    assertThat(body.get("message").asText()).startsWith("bomb-1.0-0.tar.bz2: the package (")
        .contains("decompresses to more than 256 MiB, the limit for its size (250 times the compressed size,"
            + " at least 256 MiB, at most 4 GiB)");
  }

  @Test
  void dependsEntryThatIsNotAMatchSpecIsRefusedWithTheEntryAndTheParseError() throws IOException {
    Path p = work.resolve("script-1.0-0.tar.bz2");
    PackageWriter.writeTarBz2(p, demoInfo("script", "[\"python\", \"foo<script>\"]"));

    JsonNode body = assertRefused("script-1.0-0.tar.bz2", p, 400, "invalid_match_spec");

    assertThat(body.get("message").asText()).isEqualTo("script-1.0-0.tar.bz2: depends entry 'foo<script>' is not"
        + " a valid MatchSpec (CEP 29): bad version '<script>': bad version 'script>' (only letters, digits, '.',"
        + " '_', '+' and '!' are allowed)");
    assertThat(body.get("details").get("field").asText()).isEqualTo("depends");
    assertThat(body.get("details").get("entry").asText()).isEqualTo("foo<script>");
  }

  @Test
  void constrainsEntryThatIsNotAMatchSpecIsRefused() throws IOException {
    Map<String, byte[]> files = demoInfo("constrained", "[\"python\"]");
    String index = new String(files.get("info/index.json"), StandardCharsets.UTF_8);
    files.put("info/index.json", index.replace("\"depends\"", "\"constrains\":[\"bar >=1,<\"],\"depends\"")
        .getBytes(StandardCharsets.UTF_8));
    Path p = work.resolve("constrained-1.0-0.conda");
    PackageWriter.writeConda(p, "constrained-1.0-0", files);

    JsonNode body = assertRefused("constrained-1.0-0.conda", p, 400, "invalid_match_spec");

    assertThat(body.get("message").asText())
        .startsWith("constrained-1.0-0.conda: constrains entry 'bar >=1,<' is not a valid MatchSpec (CEP 29): ");
  }

  private static Map<String, byte[]> demoInfo(String name, String depends) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("info/index.json", ("{\"name\":\"" + name + "\",\"version\":\"1.0\",\"build\":\"0\","
        + "\"build_number\":0,\"depends\":" + depends + ",\"subdir\":\"noarch\"}")
        .getBytes(StandardCharsets.UTF_8));
    files.put("info/paths.json", "{\"paths\":[],\"paths_version\":1}".getBytes(StandardCharsets.UTF_8));
    return files;
  }

  @Test
  void zeroByteFileIsRefused() {
    assertRefused("another_bad_package-1.0-0.conda", Fixtures.corruptPackage("another_bad_package.conda"), 400,
        "empty_file");
  }

  @Test
  void truncatedArchiveIsRefused() throws IOException {
    byte[] whole = Files.readAllBytes(Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.tar.bz2"));
    Path half = work.resolve("half.tar.bz2");
    Files.write(half, java.util.Arrays.copyOf(whole, whole.length / 2));
    HttpResponse<byte[]> res = server.upload("bad", "zlib-1.2.11-h7b6447c_3.tar.bz2", half, "");
    assertThat(res.statusCode()).isEqualTo(400);
    assertThat(server.getJson("/api/channels/bad/files")).isEmpty();
  }

  @Test
  void filenameThatDisagreesWithIndexJsonIsRefused() {
    Path zlib = Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.tar.bz2");
    assertRefused("zlib-1.2.12-h7b6447c_3.tar.bz2", zlib, 400, "filename_mismatch");
  }

  /** A .conda's components carry its name (CEP 35), so a renamed .conda is one conda cannot extract. */
  @Test
  void condaRenamedAfterAnotherVersionIsRefusedForItsComponentNames() {
    Path zlib = Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.conda");

    JsonNode body = assertRefused("zlib-1.2.12-h7b6447c_3.conda", zlib, 400, "not_a_conda_package");

    assertThat(body.get("message").asText()).startsWith("zlib-1.2.12-h7b6447c_3.conda: the ZIP has no"
        + " info-zlib-1.2.12-h7b6447c_3.tar.zst component (CEP 35); it holds ");
  }

  @Test
  void packageWithoutIndexJsonIsRefused() throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("info/about.json", "{}".getBytes(StandardCharsets.UTF_8));
    files.put("lib/x.txt", "x".getBytes(StandardCharsets.UTF_8));
    Path p = work.resolve("noindex-1.0-0.tar.bz2");
    PackageWriter.writeTarBz2(p, files);
    assertRefused("noindex-1.0-0.tar.bz2", p, 400, "missing_index_json");
  }

  @Test
  void unknownExtensionIsRefused() {
    assertRefused("zlib-1.2.11-h7b6447c_3.zip", Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.conda"), 400,
        "invalid_filename");
  }

  @Test
  void dotDotAndSeparatorsInNamesAreRefused() {
    Path zlib = Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.conda");
    assertRefused("..-1.0-0.conda", zlib, 400, "invalid_filename");
    assertRefused("a%20b-1.0-0.conda", zlib, 400, "invalid_filename");
    // a NUL in the path is refused by the HTTP layer itself, before any of our code runs
    assertThat(server.upload("bad", "zlib-1.2.11-h7b6447c_3.conda%00", zlib, "").statusCode()).isEqualTo(400);
    assertThat(server.getJson("/api/channels/bad/files")).isEmpty();
  }

  @Test
  void virtualPackageNamesAreRefused() {
    assertRefused("__glibc-2.17-0.conda", Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.conda"), 400,
        "invalid_filename");
  }

  @Test
  void unknownSubdirIsRefused() throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("info/index.json", ("{\"name\":\"odd\",\"version\":\"1.0\",\"build\":\"0\",\"build_number\":0,"
        + "\"depends\":[],\"subdir\":\"plan9-64\"}").getBytes(StandardCharsets.UTF_8));
    files.put("info/paths.json", "{\"paths\":[],\"paths_version\":1}".getBytes(StandardCharsets.UTF_8));
    Path p = work.resolve("odd-1.0-0.tar.bz2");
    PackageWriter.writeTarBz2(p, files);
    assertRefused("odd-1.0-0.tar.bz2", p, 400, "unknown_subdir");
  }

  @Test
  void uploadLargerThanTheLimitIsRefused() throws IOException {
    Path big = work.resolve("big-1.0-0.conda");
    Files.write(big, new byte[300 * 1024]);
    assertRefused("big-1.0-0.conda", big, 413, "too_large");
  }

  @Test
  void uploadToUnknownChannelIsNotFound() {
    HttpResponse<byte[]> res = server.upload("nope", Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.conda"));
    assertThat(res.statusCode()).isEqualTo(404);
    assertThat(TestServer.json(res).get("error").asText()).isEqualTo("channel_not_found");
  }

  /**
   * A client that sends {@code Expect: 100-continue} learns of a refusal before it sends the body; an
   * accepted upload is asked for its body with 100 Continue. Spoken over a raw socket to see each step.
   */
  @Test
  void refusalsReachAClientThatWaitsFor100ContinueBeforeItSendsTheBody() throws IOException {
    Path zlib = Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.conda");
    // Too large for this server's 200K limit, and declared so: refused without reading a byte.
    assertThat(putHeadersOnly("zlib-1.2.11-h7b6447c_3.conda", TestServer.ADMIN_TOKEN, 50_000_000))
        .startsWith("HTTP/1.1 413");
    assertThat(putHeadersOnly("zlib-1.2.11-h7b6447c_3.conda", "wrong-token-0123456789", Files.size(zlib)))
        .startsWith("HTTP/1.1 401");

    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(30_000);
      var out = socket.getOutputStream();
      var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
          StandardCharsets.ISO_8859_1));
      out.write(headers("zlib-1.2.11-h7b6447c_3.conda", TestServer.ADMIN_TOKEN, Files.size(zlib)));
      out.flush();
      assertThat(in.readLine()).isEqualTo("HTTP/1.1 100 Continue");
      assertThat(in.readLine()).isEmpty();
      out.write(Files.readAllBytes(zlib));
      out.flush();
      assertThat(in.readLine()).startsWith("HTTP/1.1 201");
    }
    assertThat(server.getJson("/conda/bad/linux-64/repodata.json").get("packages.conda")
        .has("zlib-1.2.11-h7b6447c_3.conda")).isTrue();
    assertThat(server.send(server.admin("/api/channels/bad/files/linux-64/zlib-1.2.11-h7b6447c_3.conda")
        .DELETE()).statusCode()).isEqualTo(204);
  }

  private static byte[] headers(String filename, String token, long length) {
    return ("PUT /api/channels/bad/files/" + filename + " HTTP/1.1\r\n"
        + "Host: 127.0.0.1:" + server.port() + "\r\n"
        + "Authorization: Bearer " + token + "\r\n"
        + "Content-Type: application/octet-stream\r\n"
        + "Content-Length: " + length + "\r\n"
        + "Expect: 100-continue\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Sends only the request head and returns the first status line the server answers with. */
  private static String putHeadersOnly(String filename, String token, long length) throws IOException {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(headers(filename, token, length));
      socket.getOutputStream().flush();
      return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
          StandardCharsets.ISO_8859_1)).readLine();
    }
  }
}
