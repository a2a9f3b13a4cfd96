package io.wharf.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.testing.CphPackages;
import io.wharf.server.testing.RattlerSolver;
import io.wharf.server.testing.RattlerSolver.SolveResult;
import io.wharf.server.testing.TestServer;
import io.wharf.server.trust.TrustVerifier;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * rattler solves from the patched records: a patched {@code depends} decides which version it picks, and
 * a revoked build is never chosen. The instance signs records, so each patched record must carry a
 * signature of the record as served.
 */
class RattlerRespectsPatchesTest {
  private static final List<String> PLATFORMS = List.of("linux-64", "noarch");
  private static final String APP = "wharf-appc-1.0-pyh0_0.conda";
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
    server.createChannel("patched", "public");
    List<Path> packages = List.of(
        CphPackages.build(built, "wharf-libc", "1.0", "h0_0", 0, "linux-64", List.of(), "conda"),
        CphPackages.build(built, "wharf-libc", "2.0", "h0_0", 0, "linux-64", List.of(), "conda"),
        CphPackages.build(built, "wharf-libc", "3.0", "h0_0", 0, "linux-64", List.of(), "conda"),
        CphPackages.build(built, "wharf-appc", "1.0", "pyh0_0", 0, "noarch", List.of("wharf-libc >=1.0"), "conda"));
    for (Path p : packages) {
      HttpResponse<byte[]> res = server.upload("patched", p);
      assertThat(res.statusCode()).as(new String(res.body())).isEqualTo(201);
    }
    channelUrl = server.url() + "/conda/patched";
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  static void patch(String subdir, String json) {
    HttpResponse<byte[]> r = server.send(server.admin("/api/channels/patched/patches/" + subdir)
        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)));
    assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
  }

  @Test
  void aPatchedDependsAndARevokedBuildSteerTheSolver() throws Exception {
    SolveResult before = RattlerSolver.solve(List.of("wharf-appc"), List.of(channelUrl), PLATFORMS);
    assertThat(before.ok()).as(before.error()).isTrue();
    assertThat(before.record("wharf-libc").orElseThrow().version()).isEqualTo("3.0");

    patch("noarch", "{\"packages.conda\":{\"" + APP + "\":{\"depends\":[\"wharf-libc <3\"]}}}");
    patch("linux-64", "{\"revoke\":[\"wharf-libc-2.0-h0_0.conda\"]}");
    SolveResult after = RattlerSolver.solve(List.of("wharf-appc"), List.of(channelUrl), PLATFORMS);
    assertThat(after.ok()).as(after.error()).isTrue();
    assertThat(after.record("wharf-libc").orElseThrow().version()).isEqualTo("1.0");

    for (String subdir : PLATFORMS) {
      assertThat(verifiedRecords(TestServer.json(server.get("/conda/patched/" + subdir + "/repodata.json"))))
          .isEqualTo(subdir.equals("noarch") ? 1 : 3);
    }
  }

  /** Checks every record's signature as a conda-content-trust client does; returns how many it checked. */
  static int verifiedRecords(JsonNode repodata) throws Exception {
    List<JsonNode> roots = new ArrayList<>();
    for (int v = 1; server.get("/trust/" + v + ".root.json").statusCode() == 200; v++) {
      roots.add(TestServer.json(server.get("/trust/" + v + ".root.json")));
    }
    JsonNode root = TrustVerifier.verifyRootChain(roots);
    JsonNode keyMgr = TestServer.json(server.get("/trust/key_mgr.json"));
    TrustVerifier.verifyDelegation("key_mgr", keyMgr, root);
    int n = 0;
    for (Map.Entry<String, JsonNode> e : repodata.path("packages.conda").properties()) {
      TrustVerifier.verifyRecord(e.getValue(), repodata.path("signatures").get(e.getKey()), keyMgr);
      n++;
    }
    return n;
  }
}
