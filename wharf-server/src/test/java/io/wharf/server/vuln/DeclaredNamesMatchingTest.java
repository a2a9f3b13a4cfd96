package io.wharf.server.vuln;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.testing.CphPackages;
import io.wharf.server.testing.CveChannels;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A conda package whose name is not its PyPI project's (conda-forge's {@code tensorflow-base} installs the
 * {@code tensorflow} project) and that no name table maps is matched against PyPI advisories under the name its
 * own {@code *.dist-info} directory declares. Packages built with cph; the advisory is the real PYSEC-2021-403
 * (CVE-2021-41211: tensorflow 2.6.0 up to 2.6.1).
 */
class DeclaredNamesMatchingTest {
  private static final String CVE = "CVE-2021-41211";
  private static final String SITE = "lib/python3.9/site-packages/";

  @TempDir static Path data;
  @TempDir static Path work;
  static TestServer server;

  @BeforeAll
  static void start() throws IOException {
    CphPackages.assumeAvailable();
    server = TestServer.start(data);
    server.createChannel("ml", "public");
    upload("declared_0", Map.of(SITE + "tensorflow-2.6.0.dist-info/METADATA",
        "Metadata-Version: 2.1\nName: tensorflow\nVersion: 2.6.0\n".getBytes(StandardCharsets.UTF_8),
        SITE + "tensorflow/__init__.py", "".getBytes(StandardCharsets.UTF_8)));
    upload("vendored_0", Map.of(SITE + "tf_tools/_vendor/tensorflow-2.6.0.dist-info/METADATA",
        "Name: tensorflow\n".getBytes(StandardCharsets.UTF_8)));
    upload("plain_0", Map.of());
    CveChannels.importRecords(server, Fixtures.root().resolve("vuln/osv-json/tensorflow/PYSEC-2021-403.json"));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static void upload(String build, Map<String, byte[]> files) throws IOException {
    Path p = CphPackages.build(work, "tensorflow-base", "2.6.0", build, 0, "linux-64", List.of(), "tar.bz2", files);
    assertThat(server.upload("ml", p).statusCode()).isEqualTo(201);
  }

  private static List<String> cves(String build) {
    JsonNode r = server.getJson("/api/channels/ml/files/linux-64/tensorflow-base-2.6.0-" + build + ".tar.bz2/cves");
    return r.path("cves").findValuesAsText("id");
  }

  @Test
  void theFileDeclaringTheTensorflowProjectIsLinkedToItsAdvisory() {
    assertThat(cves("declared_0")).containsExactly(CVE);
  }

  @Test
  void aVendoredCopyOrNoMetadataLinksNothing() {
    assertThat(cves("vendored_0")).isEmpty();
    assertThat(cves("plain_0")).isEmpty();
  }

  @Test
  void aFileStoredAfterTheImportIsMatchedUnderItsDeclaredNameOnArrival() throws IOException {
    Path p = CphPackages.build(work, "tensorflow-base", "2.6.0", "late_0", 0, "linux-64", List.of(), "conda",
        Map.of(SITE + "tensorflow-2.6.0.dist-info/RECORD", "x".getBytes(StandardCharsets.UTF_8)));
    assertThat(server.upload("ml", p).statusCode()).isEqualTo(201);

    JsonNode r = server.getJson("/api/channels/ml/files/linux-64/tensorflow-base-2.6.0-late_0.conda/cves");
    assertThat(r.path("cves").findValuesAsText("id")).containsExactly(CVE);
  }
}
