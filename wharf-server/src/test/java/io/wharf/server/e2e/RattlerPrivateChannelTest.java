package io.wharf.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.testing.CphPackages;
import io.wharf.server.testing.Personas;
import io.wharf.server.testing.RattlerSolver;
import io.wharf.server.testing.RattlerSolver.SolveResult;
import io.wharf.server.testing.TestServer;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rattler solves from a private channel through {@code /t/<token>/} with a read token, and only so. */
class RattlerPrivateChannelTest {
  private static final List<String> PLATFORMS = List.of("linux-64", "noarch");
  @TempDir static Path data;
  @TempDir static Path built;
  static TestServer server;
  static String readToken;
  static Path liba;

  @BeforeAll
  static void fill() throws IOException {
    CphPackages.assumeAvailable();
    RattlerSolver.assumeAvailable();
    server = TestServer.start(data);
    server.createChannel("vault", "private");
    liba = CphPackages.build(built, "vault-liba", "1.0", "h0_0", 0, "linux-64", List.of(), "conda");
    Path appb = CphPackages.build(built, "vault-appb", "1.0", "pyh0_0", 0, "noarch", List.of("vault-liba >=1.0"),
        "conda");
    for (Path p : List.of(liba, appb)) {
      HttpResponse<byte[]> res = server.upload("vault", p);
      assertThat(res.statusCode()).as(new String(res.body())).isEqualTo(201);
    }
    Personas people = new Personas(server);
    people.user("builder", "builder's password", false);
    people.member("vault", "builder", "maintainer");
    readToken = people.token(people.signIn("builder", "builder's password"), "ci read", "[\"vault\"]", "read")
        .get("secret").asText();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aReadTokenInThePathLetsRattlerSolveFromThePrivateChannel() throws IOException {
    SolveResult r = RattlerSolver.solve(List.of("vault-appb"),
        List.of(server.url() + "/t/" + readToken + "/conda/vault"), PLATFORMS);
    assertThat(r.ok()).as(r.error()).isTrue();
    assertThat(r.record("vault-liba").orElseThrow().version()).isEqualTo("1.0");
  }

  @Test
  void withoutTheTokenRattlerIsRefused() throws IOException {
    SolveResult r = RattlerSolver.solve(List.of("vault-appb"), List.of(server.url() + "/conda/vault"), PLATFORMS);
    assertThat(r.ok()).isFalse();
    assertThat(r.error()).contains("401");
  }

  @Test
  void theReadTokenCannotUploadOrDelete() throws IOException {
    HttpResponse<byte[]> upload = server.send(server.request("/api/channels/vault/files/"
        + liba.getFileName() + "?replace=true").header("Authorization", "Bearer " + readToken)
        .PUT(HttpRequest.BodyPublishers.ofFile(liba)));
    assertThat(upload.statusCode()).isEqualTo(403);
    HttpResponse<byte[]> delete = server.send(server.request("/api/channels/vault/files/linux-64/"
        + liba.getFileName()).header("Authorization", "Bearer " + readToken).DELETE());
    assertThat(delete.statusCode()).isEqualTo(403);
    assertThat(server.get("/t/" + readToken + "/conda/vault/linux-64/" + liba.getFileName()).statusCode())
        .as("still there").isEqualTo(200);
  }
}
