package io.wharf.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.testing.ChannelDirs;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wharf import --channel NAME DIR} against a real server. */
class ImportCliTest {
  @TempDir static Path data;
  @TempDir static Path work;
  @TempDir Path scratch;
  static TestServer server;
  static Path channelDir;
  static List<String> entries;

  @BeforeAll
  static void start() throws IOException {
    server = TestServer.start(data);
    channelDir = ChannelDirs.realAndGenerated(work.resolve("channel"), Set.of("appdirs", "backcall", "click", "bzip2"));
    entries = ChannelDirs.entries(channelDir);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static CliRun admin(String... args) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 4);
    System.arraycopy(new String[] {"--url", server.url(), "--token", TestServer.ADMIN_TOKEN}, 0, all, args.length, 4);
    return CliRun.of(all);
  }

  static int served(String channel) {
    return ChannelDirs.served(server, channel, entries).size();
  }

  @Test
  void importsEveryPackageOfTheDirectoryAndARunAgainSkipsThemAll() {
    server.createChannel("cli-imp", "public");
    CliRun first = admin("import", "--channel", "cli-imp", channelDir.toString());
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.out().lines()).containsExactly(
        "imported " + entries.size() + ", skipped 0 (already present), refused 0");
    assertThat(first.err()).isEmpty(); // no terminal, so no progress bar
    assertThat(served("cli-imp")).isEqualTo(entries.size());

    CliRun again = admin("import", "--channel", "cli-imp", channelDir.toString());
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.out().lines()).containsExactly(
        "imported 0, skipped " + entries.size() + " (already present), refused 0");
  }

  @Test
  void aCorruptFileIsRefusedWithItsReasonWhileTheOthersAreImported() throws IOException {
    server.createChannel("cli-imp-bad", "public");
    Path dir = scratch.resolve("channel");
    ChannelDirs.place(dir, Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.conda"));
    ChannelDirs.place(dir, Fixtures.realPackage("run_exports_versions-1.0-he35c369_0.tar.bz2"));
    Files.copy(Fixtures.corruptPackage("bad_package.tar.bz2"), dir.resolve("linux-64/bad-1.0-0.tar.bz2"));
    Files.writeString(dir.resolve("noarch/repodata.json"), "{}"); // not a package: not sent

    CliRun run = admin("import", "--channel", "cli-imp-bad", dir.toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out().lines()).containsExactly("imported 2, skipped 0 (already present), refused 1");
    assertThat(run.errLines()).containsExactly("refused linux-64/bad-1.0-0.tar.bz2: "
        + "bad-1.0-0.tar.bz2: the file is not bzip2-compressed, so it is not a .tar.bz2 package (not_a_conda_package)");
  }

  @Test
  void aFileThatIsThereWithOtherContentIsRefusedWithoutBeingSent() throws IOException {
    server.createChannel("cli-imp-differs", "public");
    Path dir = scratch.resolve("channel");
    Path mine = ChannelDirs.place(dir, Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.tar.bz2"));
    Path theirs = scratch.resolve("zlib-1.2.11-h7b6447c_3.tar.bz2");
    io.wharf.conda.archive.PackageWriter.writeTarBz2(theirs, java.util.Map.of("info/index.json",
        ("{\"name\": \"zlib\", \"version\": \"1.2.11\", \"build\": \"h7b6447c_3\", \"build_number\": 3,"
            + " \"subdir\": \"linux-64\"}").getBytes(StandardCharsets.UTF_8)));
    assertThat(server.upload("cli-imp-differs", theirs).statusCode()).isEqualTo(201);
    String sha = server.getJson("/api/channels/cli-imp-differs/files/linux-64/" + mine.getFileName())
        .get("sha256").asText();

    CliRun run = admin("import", "--channel", "cli-imp-differs", dir.toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out().lines()).containsExactly("imported 0, skipped 0 (already present), refused 1");
    assertThat(run.errLines()).containsExactly("refused linux-64/zlib-1.2.11-h7b6447c_3.tar.bz2: already in channel"
        + " cli-imp-differs with other content (sha256 " + sha + "); delete it first to import this one");
  }

  @Test
  void anImportWhoseClientWasKilledMidwayIsFinishedByRunningItAgain() throws Exception {
    server.createChannel("cli-imp-cut", "public");
    byte[] tar = ChannelDirs.tar(channelDir);
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /api/channels/cli-imp-cut/import HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Authorization: Bearer " + TestServer.ADMIN_TOKEN + "\r\nContent-Type: application/x-tar\r\n"
          + "Content-Length: " + tar.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(tar, 0, tar.length / 2);
      out.flush();
      socket.setSoLinger(true, 0); // the client dies: the connection is reset, nobody reads the answer
    }
    // the server stores what it read before the reset; wait (bounded) until some of it is there
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (Instant.now().isBefore(deadline) && server.getJson("/api/channels/cli-imp-cut/files").isEmpty()) {
      Thread.sleep(50);
    }
    int before = server.getJson("/api/channels/cli-imp-cut/files").size();
    assertThat(before).isPositive().isLessThan(entries.size());

    CliRun again = admin("import", "--channel", "cli-imp-cut", channelDir.toString());
    assertThat(again.exit()).as(again.err()).isZero();
    String summary = again.out().strip();
    assertThat(summary).matches("imported (\\d+), skipped (\\d+) \\(already present\\), refused 0");
    int imported = Integer.parseInt(summary.replaceAll("imported (\\d+), .*", "$1"));
    int skipped = Integer.parseInt(summary.replaceAll(".*skipped (\\d+) .*", "$1"));
    assertThat(imported + skipped).isEqualTo(entries.size());
    assertThat(skipped).isGreaterThanOrEqualTo(before);
    assertThat(imported).isPositive();
    assertThat(served("cli-imp-cut")).isEqualTo(entries.size());
  }

  @Test
  void aDirectoryWithoutPackageFilesIsAnError() throws IOException {
    server.createChannel("cli-imp-empty", "public");
    Files.createDirectories(scratch.resolve("linux-64"));
    CliRun run = admin("import", "--channel", "cli-imp-empty", scratch.toString());
    assertThat(run.exit()).isNotZero();
    assertThat(run.errLines()).containsExactly("error: no package files in " + scratch + " (expected " + scratch
        + "/<subdir>/*.conda or *.tar.bz2)");

    CliRun missing = admin("import", "--channel", "cli-imp-empty", scratch.resolve("nope").toString());
    assertThat(missing.errLines()).containsExactly("error: " + scratch.resolve("nope") + " is not a directory");
  }

  @Test
  void importIntoAMissingChannelFailsWithOneLine() {
    CliRun run = admin("import", "--channel", "cli-imp-nowhere", channelDir.toString());
    assertThat(run.exit()).isNotZero();
    assertThat(run.errLines()).containsExactly("error: no such channel (HTTP 404)");
  }

  @Test
  void theProgressBarShowsSettledFilesTheirFatesAndTheRate() {
    ImportTally t = new ImportTally();
    for (int i = 0; i < 6; i++) {
      t.addImported();
    }
    t.addSkipped();
    t.addRefused("linux-64/a-1-0.conda", "bad");
    assertThat(ProgressBar.render(t, 16, 123.4)).isEqualTo(
        "[###############---------------] 8/16  imported 6  skipped 1  refused 1  123/s");
  }
}
