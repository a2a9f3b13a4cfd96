package io.wharf.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.server.auth.AdminToken;
import io.wharf.server.config.ConfigLoader;
import io.wharf.server.config.WharfConfig;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpRequest;
import java.net.http.HttpClient;
import java.net.URI;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code wharf serve} does and prints as it starts, including when it cannot. */
class ServerStartTest {
  @TempDir Path dir;

  @Test
  void aPortInUseFailsBeforeAnyDataDirectoryOrTokenExists() throws IOException {
    Path data = dir.resolve("fresh-data");
    ByteArrayOutputStream announced = new ByteArrayOutputStream();
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      WharfConfig config = ConfigLoader.load(null, Map.of(),
          Map.of("host", "127.0.0.1", "port", String.valueOf(taken.getLocalPort()), "data", data.toString()));

      assertThatThrownBy(() -> WharfApp.start(config, new PrintStream(announced, true, StandardCharsets.UTF_8)))
          .hasMessageStartingWith("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": ")
          .hasMessageEndingWith("(is another server using the port? choose one with --port)");
    }
    assertThat(data).doesNotExist();
    assertThat(announced.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void aNewTokenIsStoredAndShownOnceTheServerListensAndNotAgain() throws Exception {
    Path data = dir.resolve("data");
    Map<String, String> flags = Map.of("host", "127.0.0.1", "port", "0", "data", data.toString());
    ByteArrayOutputStream first = new ByteArrayOutputStream();
    String token;
    try (WharfApp app = WharfApp.start(ConfigLoader.load(null, Map.of(), flags), new PrintStream(first, true,
        StandardCharsets.UTF_8))) {
      token = app.adminToken();
    }
    assertThat(first.toString(StandardCharsets.UTF_8)).contains("Wharf administrator token", token);
    assertThat(data.resolve(AdminToken.LEGACY_FILE_NAME)).as("the secret is not kept on disk").doesNotExist();

    ByteArrayOutputStream second = new ByteArrayOutputStream();
    try (WharfApp app = WharfApp.start(ConfigLoader.load(null, Map.of(), flags), new PrintStream(second, true,
        StandardCharsets.UTF_8))) {
      assertThat(app.adminToken()).as("only its hash is stored").isNull();
      HttpResponse<String> me = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + app.port() + "/api/whoami")).header("Authorization", "Bearer " + token)
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(me.body()).contains("\"admin\":true");
    }
    assertThat(second.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void theConsoleShowsWharfsOwnLinesAndOnlyWarningsFromLibraries() throws Exception {
    List<String> lines = serveUntilListening(List.of("--host", "127.0.0.1", "--port", "0", "--data",
        dir.resolve("console-data").toString()), Map.of());
    String console = String.join("\n", lines);

    assertThat(console).contains("Wharf administrator token (shown once", "Wharf is serving on http://127.0.0.1:");
    assertThat(lines).as("libraries log below WARN")
        .noneMatch(l -> l.matches(".*] (INFO|DEBUG|TRACE) (?!io\\.wharf\\.).*"));
    assertThat(console).doesNotContain("\u001b[");
  }

  @Test
  void aMisspeltServerVariableStopsTheStartNamingIt() throws Exception {
    Path data = dir.resolve("typo-data");
    Process p = serve(List.of("--host", "127.0.0.1", "--port", "0", "--data", data.toString()),
        Map.of("WHARF_DB_ULR", "jdbc:postgresql://db.example/wharf"));
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isNotZero();
    assertThat(out).startsWith("error: unknown environment variable WHARF_DB_ULR; the server reads WHARF_HOST,");
    assertThat(data).doesNotExist();
  }

  @Test
  void anySettingCanBeGivenWithSet() throws Exception {
    List<String> lines = serveUntilListening(List.of("--host", "127.0.0.1", "--port", "0", "--data",
        dir.resolve("set-data").toString(), "--set", "public.url=https://wharf.example.org/"), Map.of());

    assertThat(String.join("\n", lines)).contains("Wharf is serving on https://wharf.example.org");
  }

  @Test
  void aMisspeltSetStopsTheStartNamingIt() throws Exception {
    Path data = dir.resolve("set-typo-data");
    Process p = serve(List.of("--host", "127.0.0.1", "--port", "0", "--data", data.toString(),
        "--set", "stats.flush.msec=10"), Map.of());
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isNotZero();
    assertThat(out).contains("unknown setting 'stats.flush.msec'");
    assertThat(data).doesNotExist();
  }

  /** Runs {@code wharf serve} in its own JVM on the production classpath (without the tests' logging setup). */
  private static Process serve(List<String> args, Map<String, String> env) throws IOException {
    String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !e.endsWith("test-classes")).collect(Collectors.joining(File.pathSeparator));
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath,
        Wharf.class.getName(), "serve"));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> k.startsWith("WHARF_"));
    builder.environment().putAll(env);
    Process p = builder.start();
    // The deadline of every test here: a server that never stops is ended, which also ends its output.
    CompletableFuture.delayedExecutor(90, TimeUnit.SECONDS).execute(p::destroyForcibly);
    return p;
  }

  private static List<String> serveUntilListening(List<String> args, Map<String, String> env) throws Exception {
    Process p = serve(args, env);
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        lines.add(line);
        if (line.startsWith("Wharf is serving on")) {
          return lines;
        }
      }
      throw new AssertionError("the server did not report that it listens; it printed:\n" + String.join("\n", lines));
    } finally {
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }
}
