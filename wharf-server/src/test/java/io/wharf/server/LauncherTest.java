package io.wharf.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./wharf} launcher builds the jar when it is missing and keeps that build out of the user's
 * console: nothing on success, the build log without colour codes on failure. Run against a copy of the
 * script with stand-in {@code mvn} and {@code java} commands that print what real ones may print.
 */
class LauncherTest {
  private static final String ESC = "\u001b[";

  @TempDir Path root;
  @TempDir Path bin;

  @BeforeEach
  void layOut() throws IOException {
    Path script = Path.of("").toAbsolutePath().getParent().resolve("wharf");
    assertThat(script).as("the launcher at the repository root").exists();
    Files.copy(script, root.resolve("wharf"));
    executable(root.resolve("wharf"));
    for (String dir : List.of("wharf-conda/src", "wharf-server/src")) {
      Files.createDirectories(root.resolve(dir));
    }
    fake("java", "echo \"java ran: $*\"");
  }

  @Test
  void aSuccessfulBuildPrintsNothingButTheNoticeAndThenRunsWharf() throws Exception {
    fake("mvn", """
        echo "$*" > "$PWD/mvn-args"
        printf '\\033[1;34m[INFO]\\033[m Scanning for projects...\\n'
        printf '\\033[0m\\033[0m' >&2
        mkdir -p wharf-server/target && : > wharf-server/target/wharf.jar
        """);
    Result r = launch("--version");

    assertThat(r.exit).isZero();
    assertThat(r.output).isEqualTo("Building Wharf (first run takes a few minutes)...\njava ran: -jar "
        + root.toRealPath().resolve("wharf-server/target/wharf.jar") + " --version\n");
    assertThat(Files.readString(root.resolve("mvn-args"))).contains("-q", "-B", "-Dstyle.color=never", "package");

    Result again = launch("--version");
    assertThat(again.output).as("a fresh jar is not rebuilt").startsWith("java ran:");
  }

  @Test
  void aFailedBuildShowsItsLogWithoutColourCodesAndStops() throws Exception {
    fake("mvn", """
        printf '\\033[1;31m[ERROR]\\033[m COMPILATION ERROR: Foo.java:[3,1] class, interface, or enum expected\\n'
        exit 1
        """);
    Result r = launch("serve");

    assertThat(r.exit).isEqualTo(1);
    assertThat(r.output).contains("[ERROR] COMPILATION ERROR: Foo.java:[3,1]", "The build failed")
        .doesNotContain(ESC, "java ran");
  }

  private record Result(int exit, String output) {}

  private Result launch(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(root.resolve("wharf").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.environment().put("TMPDIR", root.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out);
  }

  private void fake(String name, String body) throws IOException {
    Path f = bin.resolve(name);
    Files.writeString(f, "#!/usr/bin/env bash\nset -e\n" + body);
    executable(f);
  }

  private static void executable(Path f) throws IOException {
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
