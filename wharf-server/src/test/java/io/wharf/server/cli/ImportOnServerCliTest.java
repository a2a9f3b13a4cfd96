package io.wharf.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.wharf.server.testing.ChannelDirs;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.ImportSlots;
import io.wharf.server.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wharf import --on-server}: the server reads the directory; the CLI reports what it says. */
class ImportOnServerCliTest {
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @TempDir static Path data;
  @TempDir static Path importable;
  static TestServer server;
  static Path channelDir;
  static List<String> entries;

  @BeforeAll
  static void start() throws IOException {
    server = TestServer.start(data, Map.of("import.directories", importable.toString()));
    channelDir = ChannelDirs.realAndGenerated(importable.resolve("channel"), Set.of("appdirs", "click"));
    entries = ChannelDirs.entries(channelDir);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static CliRun run(TestServer s, String token, String... args) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 4);
    System.arraycopy(new String[] {"--url", s.url(), "--token", token}, 0, all, args.length, 4);
    return assertTimeoutPreemptively(DEADLINE, () -> CliRun.of(all));
  }

  static int served(String channel) {
    return ChannelDirs.served(server, channel, entries).size();
  }

  @Test
  void theServerImportsTheDirectoryAndARunAgainSkipsEverything() {
    server.createChannel("on-server", "public");
    CliRun first = run(server, TestServer.ADMIN_TOKEN, "import", "--on-server", "--channel", "on-server",
        channelDir.toString());
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.out().lines()).containsExactly(
        "imported " + entries.size() + ", skipped 0 (already present), refused 0");
    assertThat(first.err()).isEmpty();
    assertThat(served("on-server")).isEqualTo(entries.size());

    CliRun again = run(server, TestServer.ADMIN_TOKEN, "import", "--on-server", "--channel", "on-server",
        channelDir.toString());
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.out().lines()).containsExactly(
        "imported 0, skipped " + entries.size() + " (already present), refused 0");
  }

  @Test
  void aRefusedFileIsListedAndTheExitCodeIsOne() throws IOException {
    server.createChannel("on-server-bad", "public");
    Path dir = Files.createDirectories(importable.resolve("bad"));
    ChannelDirs.place(dir, Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.conda"));
    Files.copy(Fixtures.corruptPackage("bad_package.tar.bz2"), dir.resolve("linux-64/bad-1.0-0.tar.bz2"));
    CliRun run = run(server, TestServer.ADMIN_TOKEN, "import", "--on-server", "--channel", "on-server-bad",
        dir.toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out().lines()).containsExactly("imported 1, skipped 0 (already present), refused 1");
    assertThat(run.errLines()).containsExactly("refused linux-64/bad-1.0-0.tar.bz2: "
        + "bad-1.0-0.tar.bz2: the file is not bzip2-compressed, so it is not a .tar.bz2 package (not_a_conda_package)");
  }

  @Test
  void refusalsEndWithTheServersMessageAndANonZeroExit(@TempDir Path elsewhere, @TempDir Path otherData)
      throws IOException {
    server.createChannel("on-server-refused", "public");
    ChannelDirs.place(elsewhere, Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.conda"));

    CliRun outside = run(server, TestServer.ADMIN_TOKEN, "import", "--on-server", "--channel", "on-server-refused",
        elsewhere.toString());
    assertThat(outside.exit()).isNotZero();
    assertThat(outside.out()).isEmpty();
    assertThat(outside.errLines()).singleElement().satisfies(l -> assertThat(l)
        .startsWith("error: " + elsewhere + " is not below a directory this server imports from").endsWith("(HTTP 403)"));

    CliRun relative = run(server, TestServer.ADMIN_TOKEN, "import", "--on-server", "--channel", "on-server-refused",
        "channel");
    assertThat(relative.exit()).isNotZero();
    assertThat(relative.errLines()).containsExactly("error: 'channel' is not an absolute path (HTTP 400)");

    // the channel's owner may send files, but not have the server read its own disk
    io.wharf.server.testing.Personas people = new io.wharf.server.testing.Personas(server);
    people.user("on-server-owner", "correct horse battery", false);
    people.member("on-server-refused", "on-server-owner", "owner");
    String ownerToken = people.token(people.signIn("on-server-owner", "correct horse battery"), "import",
        "[\"on-server-refused\"]", "write").get("secret").asText();
    CliRun notAdmin = run(server, ownerToken, "import", "--on-server", "--channel", "on-server-refused",
        channelDir.toString());
    assertThat(notAdmin.exit()).isNotZero();
    assertThat(notAdmin.out()).isEmpty();
    assertThat(notAdmin.errLines()).singleElement().satisfies(l -> assertThat(l).startsWith("error: ")
        .endsWith("(HTTP 403)"));

    CliRun missing = run(server, TestServer.ADMIN_TOKEN, "import", "--on-server", "--channel", "on-server-nowhere",
        channelDir.toString());
    assertThat(missing.exit()).isNotZero();
    assertThat(missing.errLines()).containsExactly("error: no such channel (HTTP 404)");
    assertThat(server.getJson("/api/channels/on-server-refused/files")).isEmpty();

    try (TestServer plain = TestServer.start(otherData)) {
      plain.createChannel("c", "public");
      CliRun off = run(plain, TestServer.ADMIN_TOKEN, "import", "--on-server", "--channel", "c",
          channelDir.toString());
      assertThat(off.exit()).isNotZero();
      assertThat(off.errLines()).singleElement().satisfies(l -> assertThat(l)
          .startsWith("error: this server imports from its own disk only below the directories set in"
              + " import.directories").endsWith("(HTTP 403)"));
      assertThat(plain.getJson("/api/channels/c/files")).isEmpty();
    }
  }
  @Test
  void inTheBackgroundTheServerImportsAsAJobThatTheCliFollowsToItsSummary() throws IOException {
    server.createChannel("on-server-job", "public");
    CliRun first = run(server, TestServer.ADMIN_TOKEN, "import", "--on-server", "--background", "--channel",
        "on-server-job", channelDir.toString());
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.out().lines()).containsExactly(
        "imported " + entries.size() + ", skipped 0 (already present), refused 0");
    assertThat(first.err()).containsPattern("importing as job \\d+ \\(it goes on if this command stops");
    assertThat(served("on-server-job")).isEqualTo(entries.size());

    Path dir = Files.createDirectories(importable.resolve("bad-job"));
    ChannelDirs.place(dir, Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.conda"));
    Files.copy(Fixtures.corruptPackage("bad_package.tar.bz2"), dir.resolve("linux-64/bad-1.0-0.tar.bz2"));
    CliRun bad = run(server, TestServer.ADMIN_TOKEN, "import", "--on-server", "--background", "--channel",
        "on-server-job", dir.toString());
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.out().lines()).containsExactly("imported 0, skipped 1 (already present), refused 1");
    assertThat(bad.errLines()).contains("refused linux-64/bad-1.0-0.tar.bz2: "
        + "bad-1.0-0.tar.bz2: the file is not bzip2-compressed, so it is not a .tar.bz2 package (not_a_conda_package)");
  }

  @Test
  void detachedTheCliNamesTheJobAndReturnsAndTheJobEndsWithoutIt() {
    server.createChannel("on-server-detached", "public");
    CliRun detached = run(server, TestServer.ADMIN_TOKEN, "import", "--on-server", "--detach", "--channel",
        "on-server-detached", channelDir.toString());
    assertThat(detached.exit()).as(detached.err()).isZero();
    assertThat(detached.out().strip()).matches("\\d+");
    String id = detached.out().strip();

    CliRun show = run(server, TestServer.ADMIN_TOKEN, "job", "show", id, "--wait");
    assertThat(show.exit()).as(show.err()).isZero();
    assertThat(show.out()).contains("succeeded");
    assertThat(served("on-server-detached")).isEqualTo(entries.size());
  }

  @Test
  void backgroundGoesOnlyWithOnServer() {
    CliRun run = run(server, TestServer.ADMIN_TOKEN, "import", "--background", "--channel", "on-server-job",
        channelDir.toString());
    assertThat(run.exit()).isNotZero();
    assertThat(run.errLines()).singleElement().satisfies(l -> assertThat(l).contains("go with --on-server"));
  }
  @Test
  void inTheBackgroundARefusalComesBeforeAnyJobAndASecondImportOfTheSameDirectoryNamesTheFirst(
      @TempDir Path elsewhere) throws Exception {
    server.createChannel("on-server-job-once", "public");
    server.createChannel("on-server-job-held", "public");
    ChannelDirs.place(elsewhere, Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.conda"));
    CliRun outside = run(server, TestServer.ADMIN_TOKEN, "import", "--on-server", "--background", "--channel",
        "on-server-job-once", elsewhere.toString());
    assertThat(outside.exit()).isNotZero();
    assertThat(outside.out()).isEmpty();
    assertThat(outside.errLines()).singleElement().satisfies(l -> assertThat(l)
        .startsWith("error: " + elsewhere + " is not below a directory this server imports from").endsWith("(HTTP 403)"));

    String id;
    try (ImportSlots held = ImportSlots.holdAll(server, "on-server-job-held", importable)) {
      CliRun first = run(server, TestServer.ADMIN_TOKEN, "import", "--on-server", "--detach", "--channel",
          "on-server-job-once", channelDir.toString());
      assertThat(first.exit()).as(first.err()).isZero();
      id = first.out().strip();
      CliRun second = run(server, TestServer.ADMIN_TOKEN, "import", "--on-server", "--background", "--channel",
          "on-server-job-once", channelDir.toString());
      assertThat(second.exit()).isNotZero();
      assertThat(second.out()).isEmpty();
      assertThat(second.errLines()).singleElement().satisfies(l -> assertThat(l)
          .contains(" as job " + id + "; follow it at /api/jobs/" + id).endsWith("(HTTP 409)"));
    }
    CliRun show = run(server, TestServer.ADMIN_TOKEN, "job", "show", id, "--wait");
    assertThat(show.exit()).as(show.err()).isZero();
    assertThat(served("on-server-job-once")).isEqualTo(entries.size());
  }
}
