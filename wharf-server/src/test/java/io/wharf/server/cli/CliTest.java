package io.wharf.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code wharf} client commands, run in-process against a real server. */
class CliTest {
  @TempDir static Path data;
  @TempDir Path work;
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(data);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static CliRun wharf(String... args) {
    return CliRun.of(args);
  }

  /** A client command aimed at the test server with the administrator token. */
  static CliRun admin(String... args) {
    return withClient(TestServer.ADMIN_TOKEN, args);
  }

  static CliRun withClient(String token, String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.addAll(List.of("--url", server.url(), "--token", token));
    return wharf(all.toArray(String[]::new));
  }

  @Test
  void channelsAreCreatedListedShownAndDeleted() {
    CliRun created = admin("channel", "create", "cli-life", "--description", "made by the CLI");
    assertThat(created.exit()).as(created.err()).isZero();
    assertThat(created.out()).contains("created channel cli-life (public)");

    CliRun privateOne = admin("channel", "create", "cli-hidden", "--privacy", "private");
    assertThat(privateOne.exit()).as(privateOne.err()).isZero();
    assertThat(privateOne.out()).contains("created channel cli-hidden (private)");

    CliRun list = admin("channel", "list");
    assertThat(list.exit()).isZero();
    assertThat(list.out().lines()).anyMatch(l -> l.matches("cli-life\\s+public"))
        .anyMatch(l -> l.matches("cli-hidden\\s+private"));

    CliRun uploaded = admin("upload", "--channel", "cli-life",
        Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.conda").toString());
    assertThat(uploaded.exit()).as(uploaded.err()).isZero();

    CliRun show = admin("channel", "show", "cli-life");
    assertThat(show.exit()).as(show.err()).isZero();
    assertThat(show.out()).contains("name:        cli-life", "description: made by the CLI",
        "conda URL:   " + server.url() + "/conda/cli-life");
    assertThat(show.out().lines()).anyMatch(l -> l.matches("\\s+zlib\\s+1 file\\(s\\)"));

    CliRun deleted = admin("channel", "delete", "cli-life", "--yes");
    assertThat(deleted.exit()).as(deleted.err()).isZero();
    assertThat(deleted.out()).contains("deleted channel cli-life");
    assertThat(admin("channel", "list").out()).doesNotContain("cli-life");

    CliRun gone = admin("channel", "show", "cli-life");
    assertThat(gone.exit()).isNotZero();
    assertThat(gone.errLines()).containsExactly("error: no such channel (HTTP 404)");
  }

  @Test
  void deletingAChannelNeedsExplicitConfirmation() {
    admin("channel", "create", "cli-keep");
    CliRun refused = admin("channel", "delete", "cli-keep");
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.err()).contains("--yes");
    assertThat(admin("channel", "list").out()).contains("cli-keep");
  }

  @Test
  void uploadPrintsTheSubdirAndFilenameOfEachRealPackage() {
    admin("channel", "create", "cli-up");
    Path conda = Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.conda");
    Path bz2 = Fixtures.realPackage("run_exports_versions-1.0-he35c369_0.tar.bz2");
    CliRun up = admin("upload", "--channel", "cli-up", conda.toString(), bz2.toString());
    assertThat(up.exit()).as(up.err()).isZero();
    assertThat(up.err()).isEmpty();
    assertThat(up.out().lines()).containsExactly(
        "uploaded linux-64/zlib-1.2.11-h7b6447c_3.conda"
            + " (sha256 f33afff2144e1d6c4cf2e3e184937db8bf825b4537df74662aea5ee207b6a31b)",
        "uploaded noarch/run_exports_versions-1.0-he35c369_0.tar.bz2"
            + " (sha256 2728e5d4b8c1ad870e247ef63cf1cc1177b617828739745a01637f3f9af2c57a)");
    assertThat(server.getJson("/conda/cli-up/noarch/repodata.json").get("packages")
        .has("run_exports_versions-1.0-he35c369_0.tar.bz2")).isTrue();
  }

  @Test
  void uploadOfACorruptPackageFailsWithOneClearErrorLine() throws IOException {
    admin("channel", "create", "cli-bad");
    Path bad = work.resolve("bad-1.0-0.tar.bz2");
    Files.copy(Fixtures.corruptPackage("bad_package.tar.bz2"), bad);
    CliRun up = admin("upload", "--channel", "cli-bad", bad.toString());
    assertThat(up.exit()).isNotZero();
    assertThat(up.out()).isEmpty();
    assertThat(up.errLines()).hasSize(1);
    assertThat(up.errLines().get(0)).startsWith("error: bad-1.0-0.tar.bz2: ")
        .contains("is not bzip2-compressed").endsWith("(HTTP 400)");
    assertThat(server.getJson("/api/channels/cli-bad/files")).isEmpty();
  }

  @Test
  void uploadReportsAMissingLocalFileAndStillUploadsTheOthers() {
    admin("channel", "create", "cli-mixed");
    CliRun up = admin("upload", "--channel", "cli-mixed", work.resolve("nope-1.0-0.conda").toString(),
        Fixtures.realPackage("other-package-0.2-0.conda").toString());
    assertThat(up.exit()).isNotZero();
    assertThat(up.errLines()).singleElement().asString().contains("nope-1.0-0.conda: no such file");
    assertThat(up.out()).contains("uploaded linux-64/other-package-0.2-0.conda");
  }

  @Test
  void downloadWritesAFileIdenticalToTheUploadedOne() throws IOException {
    admin("channel", "create", "cli-down");
    Path bz2 = Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.tar.bz2");
    assertThat(admin("upload", "-c", "cli-down", bz2.toString()).exit()).isZero();
    Path target = work.resolve("out/zlib.tar.bz2");
    CliRun down = admin("download", "-c", "cli-down", "zlib-1.2.11-h7b6447c_3.tar.bz2", "-o", target.toString());
    assertThat(down.exit()).as(down.err()).isZero();
    assertThat(down.out()).contains("downloaded " + target);
    assertThat(Files.readAllBytes(target)).isEqualTo(Files.readAllBytes(bz2));
    try (var leftovers = Files.list(target.getParent())) {
      assertThat(leftovers).as("no partial download files remain").containsExactly(target);
    }
  }

  @Test
  void downloadOfAMissingFileFailsAndWritesNothing() {
    admin("channel", "create", "cli-empty");
    Path target = work.resolve("missing.conda");
    CliRun down = admin("download", "-c", "cli-empty", "missing-1.0-0.conda", "-o", target.toString());
    assertThat(down.exit()).isNotZero();
    assertThat(down.errLines()).containsExactly("error: missing-1.0-0.conda is not in channel cli-empty");
    assertThat(target).doesNotExist();
  }

  @Test
  void wrongTokenFailsWithTheServersMessage() {
    CliRun run = withClient("not-the-token", "channel", "create", "cli-denied");
    assertThat(run.exit()).isNotZero();
    assertThat(run.errLines()).containsExactly("error: the token is not valid (HTTP 401)");
    assertThat(admin("channel", "list").out()).doesNotContain("cli-denied");
  }

  @Test
  void unreachableServerFailsWithCannotReach() {
    CliRun run = wharf("channel", "list", "--url", "http://127.0.0.1:1");
    assertThat(run.exit()).isNotZero();
    assertThat(run.errLines()).singleElement().asString()
        .startsWith("error: cannot reach Wharf at http://127.0.0.1:1");
  }

  @Test
  void serveRejectsABadFlagBeforeStartingAnything() {
    Path dataDir = work.resolve("serve-data");
    CliRun run = wharf("serve", "--port", "0", "--data", dataDir.toString(), "--max-upload", "lots");
    assertThat(run.exit()).isNotZero();
    assertThat(run.errLines())
        .containsExactly("error: max.upload must be a positive size such as 500M or 2G, got 'lots'");
    assertThat(dataDir).doesNotExist();
  }

  @Test
  void filesAreListedShownAndDeletedOneAtATime() throws IOException {
    assertThat(admin("channel", "create", "cli-files").exit()).isZero();
    Path zlib = Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.conda");
    Path other = Fixtures.realPackage("other-package-0.2-0.conda");
    assertThat(admin("upload", "--channel", "cli-files", zlib.toString(), other.toString()).exit()).isZero();

    CliRun list = admin("file", "list", "--channel", "cli-files");
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.out()).contains("zlib-1.2.11-h7b6447c_3.conda", "other-package-0.2-0.conda", "linux-64");
    CliRun json = admin("file", "list", "--channel", "cli-files", "--json");
    assertThat(json.json()).hasSize(2);

    CliRun show = admin("file", "show", "--channel", "cli-files", "zlib-1.2.11-h7b6447c_3.conda");
    assertThat(show.exit()).as(show.err()).isZero();
    assertThat(show.out()).contains("package:   zlib 1.2.11 h7b6447c_3", "subdir:    linux-64",
        "sha256:    " + sha256(zlib), "depends:", "libgcc-ng >=7.3.0");

    CliRun refused = withClient("wrong-token-0123456789", "file", "delete", "--channel", "cli-files", "--yes",
        "zlib-1.2.11-h7b6447c_3.conda");
    assertThat(refused.exit()).isNotZero();

    CliRun deleted = admin("file", "delete", "--channel", "cli-files", "--yes", "zlib-1.2.11-h7b6447c_3.conda");
    assertThat(deleted.exit()).as(deleted.err()).isZero();
    assertThat(deleted.out()).contains("deleted linux-64/zlib-1.2.11-h7b6447c_3.conda from channel cli-files");
    assertThat(server.getJson("/conda/cli-files/linux-64/repodata.json").get("packages.conda")
        .has("zlib-1.2.11-h7b6447c_3.conda")).isFalse();
    assertThat(admin("file", "list", "--channel", "cli-files").out())
        .contains("other-package-0.2-0.conda").doesNotContain("zlib-1.2.11");

    CliRun missing = admin("file", "show", "--channel", "cli-files", "zlib-1.2.11-h7b6447c_3.conda");
    assertThat(missing.exit()).isNotZero();
    assertThat(missing.errLines()).containsExactly("error: zlib-1.2.11-h7b6447c_3.conda is not in channel cli-files");
  }

  private static String sha256(Path file) throws IOException {
    try {
      return java.util.HexFormat.of().formatHex(
          java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void channelShowListsSubchannels() {
    assertThat(admin("channel", "create", "cli-labels").exit()).isZero();
    Path other = Fixtures.realPackage("other-package-0.2-0.conda");
    assertThat(admin("upload", "--channel", "cli-labels", "--label", "beta", other.toString()).exit()).isZero();

    CliRun show = admin("channel", "show", "cli-labels");
    assertThat(show.exit()).as(show.err()).isZero();
    assertThat(show.out()).contains("subchannel:  beta  " + server.url() + "/conda/cli-labels/label/beta");
  }
}
