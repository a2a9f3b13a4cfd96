package io.wharf.server.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.conda.archive.PackageArchives;
import io.wharf.conda.archive.ReadLimits;
import io.wharf.conda.metadata.PathsJson;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code GET /api/channels/{c}/files/{subdir}/{filename}/sbom}: real packages get SPDX 2.3 and CycloneDX 1.6
 * documents their formats' own validators accept, describing the package, its dependencies and its files.
 */
class SbomApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ZLIB = "zlib-1.2.11-h7b6447c_3.conda";
  private static final String ZLIB_BZ2 = "zlib-1.2.11-h7b6447c_3.tar.bz2";
  private static final String XTENSOR = "xtensor-io-0.10.3-hb585cf6_0.tar.bz2";

  @TempDir static Path data;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(data);
    assertThat(server.createChannel("pub", "public").statusCode()).isEqualTo(201);
    assertThat(server.createChannel("hidden", "private").statusCode()).isEqualTo(201);
    try (var files = Files.list(Fixtures.realPackage(ZLIB).getParent())) {
      for (Path p : files.sorted().toList()) {
        assertThat(server.upload("pub", p).statusCode()).as(p.getFileName().toString()).isEqualTo(201);
      }
    }
    assertThat(server.upload("hidden", Fixtures.realPackage(ZLIB)).statusCode()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<byte[]> sbom(String channel, String subdir, String filename, String query) {
    return server.get("/api/channels/" + channel + "/files/" + subdir + "/" + filename + "/sbom" + query);
  }

  private static JsonNode ok(HttpResponse<byte[]> res) throws Exception {
    assertThat(res.statusCode()).as(new String(res.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    return JSON.readTree(res.body());
  }

  private static String subdirOf(String filename) throws Exception {
    JsonNode files = server.getJson("/api/channels/pub/files?filename=" + filename);
    return files.get(0).get("subdir").asText();
  }

  private static List<PathsJson.Entry> pathsJson(String filename) throws Exception {
    return PackageArchives.readInfo(Fixtures.realPackage(filename), filename, ReadLimits.defaults()).paths()
        .map(PathsJson::entries).orElse(List.of());
  }

  @ParameterizedTest
  @ValueSource(strings = {ZLIB, ZLIB_BZ2, XTENSOR, "conda-index-pkg-a-1.0-py27h5e241af_0.conda",
      "conda-index-pkg-a-1.0-pyhed9eced_1.tar.bz2", "other-package-0.2-0.conda",
      "spiffy-test-app-0.5-pyh6afbcc8_0.tar.bz2", "run_exports_versions-1.0-he35c369_0.tar.bz2",
      "conda-forge-repodata-patches-20180828-0.tar.bz2"})
  void everyRealPackageGetsDocumentsThatTheFormatsOwnValidatorsAccept(String filename) throws Exception {
    String subdir = subdirOf(filename);
    HttpResponse<byte[]> cdx = sbom("pub", subdir, filename, "?format=cyclonedx");
    ok(cdx);
    assertThat(SbomValidators.cycloneDx(cdx.body())).isEmpty();
    HttpResponse<byte[]> spdx = sbom("pub", subdir, filename, "");
    ok(spdx);
    List<String> findings = SbomValidators.spdx(spdx.body());
    assertThat(findings).isEmpty();
  }
}
