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

  private static JsonNode spdxPackage(JsonNode doc, String spdxId) {
    for (JsonNode p : doc.get("packages")) {
      if (p.get("SPDXID").asText().equals(spdxId)) {
        return p;
      }
    }
    throw new AssertionError("no package " + spdxId);
  }

  private static Map<String, String> spdxFileSums(JsonNode doc, String algorithm) {
    Map<String, String> out = new java.util.HashMap<>();
    for (JsonNode f : doc.path("files")) {
      for (JsonNode sum : f.get("checksums")) {
        if (sum.get("algorithm").asText().equals(algorithm)) {
          out.put(f.get("fileName").asText().substring(2), sum.get("checksumValue").asText());
        }
      }
    }
    return out;
  }

  @Test
  void theSpdxDocumentDescribesZlibWithItsPurlHashesLicenseDependencyAndFiles() throws Exception {
    HttpResponse<byte[]> res = sbom("pub", "linux-64", ZLIB, "?format=spdx");
    JsonNode doc = ok(res);
    assertThat(res.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"" + ZLIB + ".spdx.json\"");
    assertThat(res.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/spdx+json");
    assertThat(doc.get("spdxVersion").asText()).isEqualTo("SPDX-2.3");
    JsonNode zlib = spdxPackage(doc, "SPDXRef-Package");
    assertThat(zlib.get("name").asText()).isEqualTo("zlib");
    assertThat(zlib.get("versionInfo").asText()).isEqualTo("1.2.11");
    assertThat(zlib.get("licenseDeclared").asText()).isEqualTo("Zlib");
    assertThat(zlib.get("supplier").asText()).isEqualTo("Organization: pub");
    Map<String, String> sums = new java.util.HashMap<>();
    zlib.get("checksums").forEach(c -> sums.put(c.get("algorithm").asText(), c.get("checksumValue").asText()));
    assertThat(sums).containsEntry("MD5", "cb23839f06da92ec92c6d2d2d5e0cb4a")
        .containsEntry("SHA256", "f33afff2144e1d6c4cf2e3e184937db8bf825b4537df74662aea5ee207b6a31b");
    String purl = zlib.get("externalRefs").get(0).get("referenceLocator").asText();
    com.github.packageurl.PackageURL parsed = new com.github.packageurl.PackageURL(purl);
    assertThat(parsed.getType()).isEqualTo("conda");
    assertThat(parsed.getNamespace()).isNull();
    assertThat(parsed.getName()).isEqualTo("zlib");
    assertThat(parsed.getVersion()).isEqualTo("1.2.11");
    assertThat(parsed.getQualifiers()).containsExactlyInAnyOrderEntriesOf(Map.of("build", "h7b6447c_3",
        "channel", server.url() + "/conda/pub", "subdir", "linux-64", "type", "conda"));
    assertThat(purl).startsWith("pkg:conda/zlib@1.2.11?build=h7b6447c_3&channel=");

    JsonNode dependency = spdxPackage(doc, "SPDXRef-Dependency-1");
    assertThat(dependency.get("name").asText()).isEqualTo("libgcc-ng");
    assertThat(dependency.get("comment").asText()).contains("libgcc-ng >=7.3.0");
    assertThat(doc.get("relationships").toString()).contains("{\"spdxElementId\":\"SPDXRef-Package\","
        + "\"relationshipType\":\"DEPENDS_ON\",\"relatedSpdxElement\":\"SPDXRef-Dependency-1\"}");

    Map<String, String> sha256 = spdxFileSums(doc, "SHA256");
    List<PathsJson.Entry> listed = pathsJson(ZLIB);
    assertThat(listed).isNotEmpty();
    assertThat(sha256.keySet()).isSubsetOf(listed.stream().map(PathsJson.Entry::path).toList());
    for (PathsJson.Entry e : listed) {
      if (sha256.containsKey(e.path())) {
        assertThat(sha256.get(e.path())).as(e.path()).isEqualTo(e.sha256());
      }
    }
    assertThat(sha256).containsKey("include/zlib.h");
    assertThat(spdxFileSums(doc, "SHA1")).containsOnlyKeys(sha256.keySet());
  }

  @Test
  void theCycloneDxDocumentHasThePackageItsDependencyGraphAndFileHashes() throws Exception {
    HttpResponse<byte[]> res = sbom("pub", "linux-64", XTENSOR, "?format=cyclonedx");
    JsonNode bom = ok(res);
    assertThat(res.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"" + XTENSOR + ".cdx.json\"");
    assertThat(bom.get("specVersion").asText()).isEqualTo("1.6");
    org.cyclonedx.model.Bom parsed = new org.cyclonedx.parsers.JsonParser().parse(res.body());
    org.cyclonedx.model.Component pkg = parsed.getMetadata().getComponent();
    assertThat(pkg.getName()).isEqualTo("xtensor-io");
    assertThat(pkg.getPurl()).contains("type=tar.bz2").contains("build=hb585cf6_0").contains("subdir=linux-64");
    assertThat(pkg.getLicenses().getLicenses()).extracting(org.cyclonedx.model.License::getId)
        .containsExactly("BSD-3-Clause");
    assertThat(pkg.getHashes()).extracting(org.cyclonedx.model.Hash::getValue)
        .contains("6ca199493941a078c90f5eab1c73da4401470343bf45d0f054d4a27ef749f9ac");
    List<String> dependsOn = parsed.getDependencies().stream().filter(d -> d.getRef().equals(pkg.getBomRef()))
        .findFirst().orElseThrow().getDependencies().stream().map(org.cyclonedx.model.Dependency::getRef).toList();
    assertThat(dependsOn).containsExactly("pkg:conda/blosc", "pkg:conda/cpp-filesystem", "pkg:conda/highfive",
        "pkg:conda/libgcc-ng", "pkg:conda/libsndfile", "pkg:conda/libstdcxx-ng", "pkg:conda/openimageio",
        "pkg:conda/xtensor", "pkg:conda/zlib");
    Map<String, String> fileSha256 = parsed.getComponents().stream()
        .filter(c -> c.getType() == org.cyclonedx.model.Component.Type.FILE)
        .collect(Collectors.toMap(org.cyclonedx.model.Component::getName, c -> c.getHashes().stream()
            .filter(h -> h.getAlgorithm().equals("SHA-256")).findFirst().orElseThrow().getValue()));
    List<PathsJson.Entry> listed = pathsJson(XTENSOR);
    assertThat(fileSha256).hasSize(listed.size());
    listed.forEach(e -> assertThat(fileSha256.get(e.path())).as(e.path()).isEqualTo(e.sha256()));
  }

  @Test
  void aLicenseThatIsNoSpdxExpressionBecomesALicenseRefAndNoLicenseIsNoAssertion() throws Exception {
    JsonNode patches = ok(sbom("pub", "noarch", "conda-forge-repodata-patches-20180828-0.tar.bz2", ""));
    assertThat(spdxPackage(patches, "SPDXRef-Package").get("licenseDeclared").asText())
        .isEqualTo("LicenseRef-Public-Domain");
    assertThat(patches.get("hasExtractedLicensingInfos").get(0).get("extractedText").asText())
        .isEqualTo("Public Domain");
    JsonNode spiffy = ok(sbom("pub", "noarch", "spiffy-test-app-0.5-pyh6afbcc8_0.tar.bz2", ""));
    assertThat(spdxPackage(spiffy, "SPDXRef-Package").get("licenseDeclared").asText()).isEqualTo("NOASSERTION");
  }

  private static Connection database() throws Exception {
    return DriverManager.getConnection("jdbc:sqlite:" + data.resolve("wharf.db"));
  }

  private static int keptListings() throws Exception {
    try (Connection c = database(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM package_contents")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static void forgetListings() throws Exception {
    try (Connection c = database(); Statement st = c.createStatement()) {
      st.executeUpdate("DELETE FROM package_contents");
    }
  }

  private static Path blobOf(String sha256) {
    return data.resolve("blobs").resolve("sha256").resolve(sha256.substring(0, 2)).resolve(sha256);
  }

  @Test
  void aFileStoredWithoutItsListingGetsItFromItsBlobOnceAndKeepsIt() throws Exception {
    assertThat(server.createChannel("before", "public").statusCode()).isEqualTo(201);
    assertThat(server.upload("before", Fixtures.realPackage(ZLIB_BZ2)).statusCode()).isEqualTo(201);
    forgetListings(); // as a file stored before listings were kept
    assertThat(keptListings()).isZero();
    JsonNode doc = ok(sbom("before", "linux-64", ZLIB_BZ2, ""));
    assertThat(spdxFileSums(doc, "SHA256")).containsEntry("include/zlib.h",
        pathsJson(ZLIB_BZ2).stream().filter(e -> e.path().equals("include/zlib.h")).findFirst().orElseThrow().sha256());
    assertThat(keptListings()).isEqualTo(1);
    // kept: the blob is no longer needed for it
    Path blob = blobOf("1f07873d6aa0cd18760a7b215d9956f7fa63c2f2761b03f293c659fe982923fa");
    byte[] original = Files.readAllBytes(blob);
    Files.write(blob, "not a package".getBytes(StandardCharsets.UTF_8));
    try {
      assertThat(ok(sbom("before", "linux-64", ZLIB_BZ2, "?format=cyclonedx")).toString()).contains("include/zlib.h");
    } finally {
      Files.write(blob, original);
    }
  }

  @Test
  void aFileWhosePackageCannotBeReadGetsAClearConflictNotAnEmptyDocument() throws Exception {
    assertThat(server.createChannel("damaged", "public").statusCode()).isEqualTo(201);
    String filename = "run_exports_versions-1.0-he35c369_0.tar.bz2";
    assertThat(server.upload("damaged", Fixtures.realPackage(filename)).statusCode()).isEqualTo(201);
    forgetListings();
    Path blob = blobOf("2728e5d4b8c1ad870e247ef63cf1cc1177b617828739745a01637f3f9af2c57a");
    byte[] original = Files.readAllBytes(blob);
    Files.write(blob, "not_a_valid_bz2".getBytes(StandardCharsets.UTF_8));
    try {
      HttpResponse<byte[]> res = sbom("damaged", "noarch", filename, "");
      assertThat(res.statusCode()).isEqualTo(409);
      JsonNode error = TestServer.json(res);
      assertThat(error.get("error").asText()).isEqualTo("sbom_unavailable");
      assertThat(error.get("message").asText()).contains(filename).contains("metadata cannot be read");
      assertThat(error.get("details").get("filename").asText()).isEqualTo(filename);
    } finally {
      Files.write(blob, original);
    }
  }

  @Test
  void anUnknownFileIsNotFoundAndAnUnknownFormatIsRefused() {
    HttpResponse<byte[]> missing = sbom("pub", "linux-64", "zlib-9.9-h0_0.conda", "");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(TestServer.json(missing).get("error").asText()).isEqualTo("file_not_found");
    HttpResponse<byte[]> format = sbom("pub", "linux-64", ZLIB, "?format=swid");
    assertThat(format.statusCode()).isEqualTo(400);
    assertThat(TestServer.json(format).get("error").asText()).isEqualTo("invalid_format");
  }

  @Test
  void aPrivateChannelsSbomIsForItsReadersOnly() throws Exception {
    HttpResponse<byte[]> anonymous = sbom("hidden", "linux-64", ZLIB, "");
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(new String(anonymous.body(), StandardCharsets.UTF_8)).doesNotContain("zlib");
    HttpResponse<byte[]> admin = server.send(server.admin(
        "/api/channels/hidden/files/linux-64/" + ZLIB + "/sbom?format=cyclonedx").GET());
    assertThat(SbomValidators.cycloneDx(ok(admin).toString().getBytes(StandardCharsets.UTF_8))).isEmpty();
  }

  private static String keptListing(String sha256) throws Exception {
    try (Connection c = database();
         java.sql.PreparedStatement st = c.prepareStatement("SELECT paths_json FROM package_contents WHERE sha256 = ?")) {
      st.setString(1, sha256);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  @Test
  void uploadAndImportKeepTheListingFromPathsJsonWithoutReadingThePayload() throws Exception {
    String sha256 = "1f07873d6aa0cd18760a7b215d9956f7fa63c2f2761b03f293c659fe982923fa";
    forgetListings();
    assertThat(server.createChannel("uploaded", "public").statusCode()).isEqualTo(201);
    assertThat(server.upload("uploaded", Fixtures.realPackage(ZLIB_BZ2)).statusCode()).isEqualTo(201);
    assertThat(keptListing(sha256)).startsWith("[").contains("\"path\":\"include/zlib.h\"").doesNotContain("sha1");

    forgetListings();
    assertThat(server.createChannel("imported", "public").statusCode()).isEqualTo(201);
    java.io.ByteArrayOutputStream tar = new java.io.ByteArrayOutputStream();
    try (var out = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(tar)) {
      byte[] bytes = Files.readAllBytes(Fixtures.realPackage(ZLIB_BZ2));
      var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("linux-64/" + ZLIB_BZ2);
      entry.setSize(bytes.length);
      out.putArchiveEntry(entry);
      out.write(bytes);
      out.closeArchiveEntry();
    }
    HttpResponse<byte[]> imported = server.send(server.admin("/api/channels/imported/import")
        .header("Content-Type", "application/x-tar")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(tar.toByteArray())));
    assertThat(new String(imported.body(), StandardCharsets.UTF_8)).contains("\"imported\"");
    assertThat(keptListing(sha256)).startsWith("[").contains("\"path\":\"include/zlib.h\"");
  }
}
