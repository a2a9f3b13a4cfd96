package io.wharf.server.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.Jobs;
import io.wharf.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A CycloneDX SBOM lists the file's CVEs, rated, with an analysis state that follows their curation. */
class SbomVulnerabilitiesTest {
  private static final String ZLIB = "zlib-1.2.11-h7b6447c_3.conda";
  private static final String XTENSOR = "xtensor-io-0.10.3-hb585cf6_0.tar.bz2";

  @TempDir static Path data;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(data);
    assertThat(server.createChannel("vulnerable", "public").statusCode()).isEqualTo(201);
    assertThat(server.upload("vulnerable", Fixtures.realPackage(ZLIB)).statusCode()).isEqualTo(201);
    assertThat(server.upload("vulnerable", Fixtures.realPackage(XTENSOR)).statusCode()).isEqualTo(201);
    byte[] nvd = Files.readAllBytes(Fixtures.root().resolve("vuln/nvd/CVE-2022-37434.json"));
    HttpResponse<byte[]> imported = server.send(server.admin("/api/cves/import?filename=CVE-2022-37434.json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(nvd)));
    assertThat(Jobs.awaitAccepted(server, imported).path("state").asText()).isEqualTo("succeeded");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<byte[]> cycloneDx(String filename) {
    return server.get("/api/channels/vulnerable/files/linux-64/" + filename + "/sbom?format=cyclonedx");
  }

  @Test
  void aMatchedCveIsListedWithItsRatingAndInTriageUntilCurated() throws Exception {
    HttpResponse<byte[]> res = cycloneDx(ZLIB);
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(SbomValidators.cycloneDx(res.body())).isEmpty();
    JsonNode vulns = TestServer.json(res).get("vulnerabilities");
    assertThat(vulns).hasSize(1);
    JsonNode v = vulns.get(0);
    assertThat(v.get("id").asText()).isEqualTo("CVE-2022-37434");
    assertThat(v.get("ratings").get(0).get("score").asDouble()).isEqualTo(9.8);
    assertThat(v.get("ratings").get(0).get("severity").asText()).isEqualTo("critical");
    assertThat(v.get("analysis").get("state").asText()).isEqualTo("in_triage");
    String packageRef = TestServer.json(res).get("metadata").get("component").get("bom-ref").asText();
    assertThat(v.get("affects").get(0).get("ref").asText()).isEqualTo(packageRef);

    HttpResponse<byte[]> cleared = server.send(server.admin("/api/cves/CVE-2022-37434/status")
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
            "{\"channel\":\"vulnerable\",\"package\":\"zlib\",\"status\":\"cleared\",\"note\":\"inflateGetHeader unused\"}")));
    assertThat(cleared.statusCode()).isEqualTo(200);

    HttpResponse<byte[]> after = cycloneDx(ZLIB);
    assertThat(SbomValidators.cycloneDx(after.body())).isEmpty();
    JsonNode analysis = TestServer.json(after).get("vulnerabilities").get(0).get("analysis");
    assertThat(analysis.get("state").asText()).isEqualTo("not_affected");
    assertThat(analysis.get("detail").asText()).isEqualTo("inflateGetHeader unused");
  }

  @Test
  void aFileWithoutCvesHasNoVulnerabilitiesSection() throws Exception {
    HttpResponse<byte[]> res = cycloneDx(XTENSOR);
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(TestServer.json(res).has("vulnerabilities")).isFalse();
  }
}
