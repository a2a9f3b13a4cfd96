package io.wharf.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.conda.archive.PackageWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Channels holding packages that real CVE records match: the real zlib build (CVE-2022-37434, 9.8) and
 * small requests packages (2.19.0: CVE-2018-18074 7.5 and CVE-2023-32681 6.1; 2.30.0: CVE-2023-32681),
 * with the NVD fixture records imported through the API.
 */
public final class CveChannels {
  public static final String ZLIB = "zlib-1.2.11-h7b6447c_3.conda";

  private CveChannels() {}

  public static void uploadZlib(TestServer server, String channel) {
    assertThat(server.upload(channel, Fixtures.realPackage(ZLIB)).statusCode()).isEqualTo(201);
  }

  /** A noarch requests package with only its index.json, named {@code requests-<version>-0.tar.bz2}. */
  public static String uploadRequests(TestServer server, Path work, String channel, String version) {
    String index = "{\"name\":\"requests\",\"version\":\"" + version + "\",\"build\":\"0\",\"build_number\":0,"
        + "\"subdir\":\"noarch\",\"noarch\":\"python\",\"depends\":[]}";
    String filename = "requests-" + version + "-0.tar.bz2";
    try {
      Path dir = Files.createDirectories(work.resolve(channel));
      Path p = dir.resolve(filename);
      PackageWriter.writeTarBz2(p, Map.of("info/index.json", index.getBytes(StandardCharsets.UTF_8)));
      assertThat(server.upload(channel, filename, p, "").statusCode()).isEqualTo(201);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return filename;
  }

  /** Imports every NVD fixture record (or any file or directory of records) through the API. */
  public static void importRecords(TestServer server, Path file) {
    try {
      if (Files.isDirectory(file)) {
        try (var files = Files.list(file)) {
          for (Path f : files.sorted().toList()) {
            importRecords(server, f);
          }
        }
        return;
      }
      HttpResponse<byte[]> r = server.send(server.admin("/api/cves/import?filename=" + file.getFileName())
          .POST(HttpRequest.BodyPublishers.ofFile(file)));
      JsonNode job = Jobs.awaitAccepted(server, r);
      assertThat(job.path("state").asText()).as(job.toString()).isEqualTo("succeeded");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void importNvd(TestServer server) {
    importRecords(server, Fixtures.root().resolve("vuln/nvd"));
  }

  /** Sets a CVE's status on one file through the API, as an administrator. */
  public static void setStatus(TestServer server, String cve, String channel, String subdir, String filename,
      String status) {
    HttpResponse<byte[]> r = server.send(server.admin("/api/cves/" + cve + "/status")
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
            "{\"channel\":\"" + channel + "\",\"subdir\":\"" + subdir + "\",\"filename\":\"" + filename
                + "\",\"status\":\"" + status + "\"}")));
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
  }
}
