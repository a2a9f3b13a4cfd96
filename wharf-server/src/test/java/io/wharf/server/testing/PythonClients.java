package io.wharf.server.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The decoders conda itself uses, driven from tests: Debian's python3-zstandard (read through
 * {@code ZstdDecompressor().stream_writer}, as conda's repodata fetch does) and python3-requests
 * (urllib3 undoes {@code Content-Encoding: gzip}), run by the system Python.
 */
public final class PythonClients {
  private static final String PYTHON = "/usr/bin/python3";
  private static volatile Boolean available;

  private PythonClients() {}

  public static void assumeAvailable() {
    Boolean known = available;
    if (known == null) {
      known = ExternalProcess.runsSuccessfully(List.of(PYTHON, "-c", "import zstandard, requests"),
          Duration.ofSeconds(30));
      available = known;
    }
    PeerTools.assumeAvailable(known, "python3-zstandard and python3-requests");
  }

  /** Skips (or fails where peers are required) unless the system Python imports these modules. */
  public static void assumeModules(String... modules) {
    boolean ok = ExternalProcess.runsSuccessfully(List.of(PYTHON, "-c", "import " + String.join(", ", modules)),
        Duration.ofSeconds(30));
    PeerTools.assumeAvailable(ok, "python3 modules " + String.join(", ", modules));
  }

  /** Runs {@code script} with the arguments; returns its standard output, or fails with its error output. */
  public static String run(String script, Path workDir, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(PYTHON, "-c", script));
    command.addAll(List.of(args));
    ExternalProcess.Result r = ExternalProcess.run(command, workDir, Map.of(), new byte[0], Duration.ofSeconds(120));
    if (!r.succeeded()) {
      throw new AssertionError("python exited with " + r.exitCode() + ": " + r.stderr() + r.stdout());
    }
    return r.stdout();
  }
}
