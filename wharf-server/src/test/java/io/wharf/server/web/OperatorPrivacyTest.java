package io.wharf.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What anonymous callers and log readers may learn: readiness is up or down, and tokens never reach a log. */
class OperatorPrivacyTest {
  private static final String ZLIB = "zlib-1.2.11-h7b6447c_3.conda";

  @TempDir static Path data;
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(data);
    assertThat(server.createChannel("priv", "private").statusCode()).isEqualTo(201);
    assertThat(server.upload("priv", Fixtures.realPackage(ZLIB)).statusCode()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void readinessSaysOnlyDownToTheCallerAndLogsWhyOnce() throws IOException {
    assertThat(new String(server.get("/health/ready").body())).isEqualTo("{\"status\":\"up\"}");
    Path storeTmp = data.resolve("blobs/.tmp");
    deleteTree(storeTmp);
    try {
      String log = stderrOf(() -> {
        HttpResponse<byte[]> first = server.get("/health/ready");
        HttpResponse<byte[]> second = server.get("/health/ready");
        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(second.statusCode()).isEqualTo(503);
        assertThat(new String(first.body())).isEqualTo("{\"status\":\"down\"}");
      });
      assertThat(log).contains("readiness: storage is down: IOException: blob directory " + data.resolve("blobs"));
      assertThat(log.split("readiness: storage is down", -1)).as("logged once while it stays down").hasSize(2);
    } finally {
      Files.createDirectories(storeTmp);
    }
    assertThat(server.get("/health/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void aFailedCondaRequestIsLoggedWithoutTheTokenFromItsPath() throws IOException {
    try (Stream<Path> files = Files.walk(data.resolve("blobs/sha256"))) {
      for (Path blob : files.filter(Files::isRegularFile).toList()) {
        Files.delete(blob); // the row stays: serving it fails inside the server
      }
    }
    String path = "/t/" + TestServer.ADMIN_TOKEN + "/conda/priv/linux-64/" + ZLIB;
    String log = stderrOf(() -> {
      assertThat(server.get(path).statusCode()).isEqualTo(500);
    });

    assertThat(log).contains("unexpected error on GET /t/<token>/conda/priv/linux-64/" + ZLIB)
        .doesNotContain(TestServer.ADMIN_TOKEN);
  }

  @Test
  void aBadgeTokenInTheQueryIsRedactedToo() {
    assertThat(LogRedaction.text("GET /badges/c/p/version.svg?token=wt-secret-1&x=1 and ?a=b&token=wt-2"))
        .isEqualTo("GET /badges/c/p/version.svg?token=<redacted>&x=1 and ?a=b&token=<redacted>");
    assertThat(LogRedaction.throwable(new RuntimeException("fetching /badges/c/p/license.svg?token=wt-3")).getMessage())
        .doesNotContain("wt-3");
  }

  @Test
  void aCredentialAfterBearerOrBasicInAMessageIsRedacted() {
    assertThat(LogRedaction.text("sent Authorization: Bearer wt-abcdef0123456789 upstream"))
        .isEqualTo("sent Authorization: Bearer <redacted> upstream");
    assertThat(LogRedaction.text("Authorization: Basic dXNlcjpzZWNyZXQtcGFzcw=="))
        .isEqualTo("Authorization: Basic <redacted>");
    assertThat(LogRedaction.text("Basic authentication failed")).isEqualTo("Basic authentication failed");
  }

  @Test
  void redactionCoversMessagesOfEveryExceptionInAChain() {
    Throwable cause = new IllegalStateException("cannot open /t/secret-token-123456/conda/x");
    Throwable logged = LogRedaction.throwable(new RuntimeException("while serving", cause));

    assertThat(List.of(String.valueOf(logged), String.valueOf(logged.getCause())))
        .containsExactly("java.lang.RuntimeException: while serving",
            "java.lang.IllegalStateException: cannot open /t/<token>/conda/x");
    assertThat(logged.getCause().getStackTrace()).isEqualTo(cause.getStackTrace());
    Throwable clean = new IllegalStateException("nothing secret");
    assertThat(LogRedaction.throwable(clean)).isSameAs(clean);
  }

  /** What the server's loggers (Logback's console appender writes to the current System.err) print while it runs. */
  private static String stderrOf(Runnable action) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    String text = captured.toString(StandardCharsets.UTF_8);
    original.print(text);
    return text;
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
