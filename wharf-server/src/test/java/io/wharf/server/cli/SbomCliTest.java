package io.wharf.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cyclonedx.Version;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wharf sbom}: a package file's SBOM to standard output or a file, against a real server. */
class SbomCliTest {
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final String ZLIB = "zlib-1.2.11-h7b6447c_3.conda";

  @TempDir static Path data;
  @TempDir Path work;
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(data);
    assertThat(server.createChannel("sboms", "private").statusCode()).isEqualTo(201);
    assertThat(server.upload("sboms", Fixtures.realPackage(ZLIB)).statusCode()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static CliRun wharf(String token, String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.addAll(List.of("--url", server.url()));
    if (token != null) {
      all.addAll(List.of("--token", token));
    }
    return assertTimeoutPreemptively(DEADLINE, () -> CliRun.of(all.toArray(String[]::new)));
  }

  @Test
  void printsTheSpdxDocumentByDefault() throws Exception {
    CliRun run = wharf(TestServer.ADMIN_TOKEN, "sbom", "--channel", "sboms", ZLIB);
    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode doc = new ObjectMapper().readTree(run.out());
    assertThat(doc.get("spdxVersion").asText()).isEqualTo("SPDX-2.3");
    assertThat(doc.get("name").asText()).isEqualTo(ZLIB);
  }

  @Test
  void writesTheCycloneDxDocumentToTheOutputFile() throws Exception {
    Path out = work.resolve("zlib.cdx.json");
    CliRun run = wharf(TestServer.ADMIN_TOKEN, "sbom", "--channel", "sboms", "--subdir", "linux-64",
        "--format", "cyclonedx", "-o", out.toString(), ZLIB);
    assertThat(run.exit()).as(run.err()).isZero();
    byte[] written = Files.readAllBytes(out);
    assertThat(new JsonParser().validate(written, Version.VERSION_16)).isEmpty();
    assertThat(new String(written, java.nio.charset.StandardCharsets.UTF_8)).contains("pkg:conda/zlib@1.2.11");
  }

  @Test
  void aRefusalIsOneClearLineAndANonZeroExit() {
    CliRun anonymous = wharf(null, "sbom", "--channel", "sboms", ZLIB);
    assertThat(anonymous.exit()).isNotZero();
    assertThat(anonymous.errLines()).hasSize(1);
    assertThat(anonymous.out()).isEmpty();

    CliRun missing = wharf(TestServer.ADMIN_TOKEN, "sbom", "--channel", "sboms", "zlib-9-h0_0.conda");
    assertThat(missing.exit()).isNotZero();
    assertThat(missing.errLines()).containsExactly("error: zlib-9-h0_0.conda is not in channel sboms");

    CliRun format = wharf(TestServer.ADMIN_TOKEN, "sbom", "--channel", "sboms", "--format", "swid", ZLIB);
    assertThat(format.exit()).isNotZero();
    assertThat(format.errLines()).hasSize(1);
    assertThat(format.errLines().get(0)).contains("spdx or cyclonedx");
  }
}
