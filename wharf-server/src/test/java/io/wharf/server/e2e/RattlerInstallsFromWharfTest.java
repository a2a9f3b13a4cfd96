package io.wharf.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.testing.CphPackages;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.RattlerSolver;
import io.wharf.server.testing.RattlerSolver.SolveResult;
import io.wharf.server.testing.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real conda solver (rattler, the engine behind pixi) against a running Wharf filled with packages
 * made by Debian's conda-package-handling and with real fixture packages. The instance has signing
 * keys, so every record is signed: the signatures section must not disturb the solver.
 */
class RattlerInstallsFromWharfTest {
  private static final List<String> PLATFORMS = List.of("linux-64", "noarch");
  @TempDir static Path data;
  @TempDir static Path built;
  static TestServer server;
  static String channelUrl;

  @BeforeAll
  static void fill() throws IOException {
    CphPackages.assumeAvailable();
    RattlerSolver.assumeAvailable();
    assertThat(io.wharf.server.Wharf.run("signing", "init", "--data-dir", data.toString())).isZero();
    server = TestServer.start(data);
    server.createChannel("e2e", "public");
    List<Path> packages = List.of(
        CphPackages.build(built, "wharf-liba", "1.0", "h0_0", 0, "linux-64", List.of(), "tar.bz2"),
        CphPackages.build(built, "wharf-liba", "2.0", "h0_0", 0, "linux-64", List.of(), "conda"),
        CphPackages.build(built, "wharf-appb", "1.0", "pyh0_0", 0, "noarch", List.of("wharf-liba >=1.0"), "conda"),
        Fixtures.realPackage("other-package-0.2-0.conda"),
        Fixtures.realPackage("run_exports_versions-1.0-he35c369_0.tar.bz2"));
    for (Path p : packages) {
      HttpResponse<byte[]> res = server.upload("e2e", p);
      assertThat(res.statusCode()).as(new String(res.body())).isEqualTo(201);
    }
    channelUrl = server.url() + "/conda/e2e";
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theChannelIsSignedAndRattlerSolvesFromItsSignedRepodata() throws IOException {
    JsonNode repodata = TestServer.json(server.get("/conda/e2e/linux-64/repodata.json"));
    assertThat(repodata.path("signatures").size())
        .isEqualTo(repodata.path("packages").size() + repodata.path("packages.conda").size());
    // rattler reads the shard index and shards, which carry no signatures (CEP 16 defines none)
    SolveResult r = RattlerSolver.solve(List.of("wharf-appb", "wharf-liba <2"), List.of(channelUrl), PLATFORMS);
    assertThat(r.ok()).as(r.error()).isTrue();
    assertThat(r.record("wharf-liba").orElseThrow().version()).isEqualTo("1.0");
  }

  @Test
  void dependencyChainSolvesToTheNewestVersions() throws IOException {
    SolveResult r = RattlerSolver.solve(List.of("wharf-appb"), List.of(channelUrl), PLATFORMS);
    assertThat(r.ok()).as(r.error()).isTrue();
    assertThat(r.record("wharf-appb")).isPresent();
    assertThat(r.record("wharf-liba").orElseThrow().version()).isEqualTo("2.0");
  }

  @Test
  void versionConstraintPicksTheOlderBuild() throws IOException {
    SolveResult r = RattlerSolver.solve(List.of("wharf-appb", "wharf-liba <2"), List.of(channelUrl), PLATFORMS);
    assertThat(r.ok()).as(r.error()).isTrue();
    assertThat(r.record("wharf-liba").orElseThrow().version()).isEqualTo("1.0");
    assertThat(r.record("wharf-liba").orElseThrow().url()).endsWith("/linux-64/wharf-liba-1.0-h0_0.tar.bz2");
  }

  @Test
  void unsatisfiableRequestFailsWithRattlersMessage() throws IOException {
    SolveResult r = RattlerSolver.solve(List.of("wharf-liba >=99"), List.of(channelUrl), PLATFORMS);
    assertThat(r.ok()).isFalse();
    assertThat(r.error()).contains("No candidates were found for wharf-liba >=99");
  }

  @Test
  void realFixturePackagesSolveAndTheirUrlsDownloadWithTheRecordedChecksum() throws Exception {
    SolveResult r = RattlerSolver.solve(List.of("other-package", "run_exports_versions"), List.of(channelUrl),
        PLATFORMS);
    assertThat(r.ok()).as(r.error()).isTrue();
    for (String name : List.of("other-package", "run_exports_versions")) {
      RattlerSolver.SolvedRecord rec = r.record(name).orElseThrow();
      HttpResponse<byte[]> file = server.send(java.net.http.HttpRequest.newBuilder(URI.create(rec.url())).GET());
      assertThat(file.statusCode()).isEqualTo(200);
      String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file.body()));
      assertThat(sha).isEqualTo(rec.sha256());
      JsonNode listed = server.getJson("/api/channels/e2e/packages/" + name).get("files").get(0);
      assertThat(listed.get("sha256").asText()).isEqualTo(sha);
    }
  }
}
