package io.wharf.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code wharf serve} in a separate JVM, started the way the {@code wharf} launcher starts it
 * ({@code io.wharf.server.Wharf serve ...}) but from this JVM's class path, so that it runs the classes
 * under test in any Maven phase without a packaged jar. It listens on a free loopback port, writes its
 * console to a log file, and can be killed without warning.
 */
public final class ServerProcess implements AutoCloseable {
  private static final Pattern SERVING = Pattern.compile("Wharf is serving on http://127\\.0\\.0\\.1:(\\d+)");

  private final Process process;
  private final Path log;
  private final Thread reaper;
  private int port;

  private ServerProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
    // a test JVM that ends (normally or by a signal it can handle) takes its server with it
    this.reaper = new Thread(process::destroyForcibly, "wharf-child-reaper");
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  /**
   * Starts {@code wharf serve --host 127.0.0.1 --port 0} with these extra flags (e.g. {@code --data DIR},
   * {@code --db-url URL}) and environment; returns at once, see {@link #awaitServing}.
   */
  public static ServerProcess start(List<String> flags, Map<String, String> env, Path log) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // a small heap and the quick compiler: starts are what this process does most
        "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"),
        "io.wharf.server.Wharf", "serve", "--host", "127.0.0.1", "--port", "0"));
    command.addAll(flags);
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.PIPE);
    builder.environment().keySet().removeIf(k -> k.startsWith("WHARF_"));
    builder.environment().putAll(env);
    try {
      return new ServerProcess(builder.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the server process", e);
    }
  }

  /**
   * Waits until the server announces its port; false when it died or did not announce within the
   * timeout (then its log tells why).
   */
  public boolean awaitServing(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Matcher m = SERVING.matcher(logText());
      if (m.find()) {
        port = Integer.parseInt(m.group(1));
        return true;
      }
      if (!process.isAlive()) {
        return false;
      }
      Thread.sleep(20);
    }
    return false;
  }

  public int port() {
    if (port == 0) {
      throw new IllegalStateException("the server has not announced its port");
    }
    return port;
  }

  public String url() {
    return "http://127.0.0.1:" + port();
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * SIGKILL: on Unix {@link Process#destroyForcibly()} sends SIGKILL, so the server gets no chance to
   * run shutdown hooks, close files or finish requests. Returns once the process is gone.
   */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the server process " + process.pid() + " survived SIGKILL for 30 s");
    }
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway, on a process that is gone
    }
  }

  /**
   * SIGTERM, what a service manager sends to stop a service: on Unix {@link Process#destroy()} sends it, so
   * the server runs its shutdown hook. Returns the exit code; throws when the process outlives the deadline.
   */
  public int terminate(Duration deadline) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("the server process " + process.pid() + " did not stop within " + deadline
          + " of SIGTERM");
    }
    return process.exitValue();
  }

  /** Everything the server printed so far. */
  public String logText() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  /** Kills the process (a test has no use for a graceful stop). */
  @Override
  public void close() {
    try {
      kill();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
