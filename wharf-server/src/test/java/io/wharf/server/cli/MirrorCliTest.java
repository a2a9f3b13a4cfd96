package io.wharf.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.Jobs;
import io.wharf.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wharf mirror create|run|list|history|delete} (a run refused while one is under way) and the indexing column of {@code wharf file list}. */
class MirrorCliTest {
  private static final String ZLIB = "zlib-1.2.11-h7b6447c_3.conda";
  @TempDir static Path upData;
  @TempDir static Path data;
  static TestServer upstream;
  static TestServer server;

  @BeforeAll
  static void start() {
    upstream = TestServer.start(upData);
    upstream.createChannel("up", "private");
    upstream.upload("up", Fixtures.realPackage(ZLIB));
    upstream.upload("up", Fixtures.realPackage("other-package-0.2-0.conda"));
    server = TestServer.start(data);
    server.createChannel("down", "public");
  }

  @AfterAll
  static void stop() {
    server.close();
    upstream.close();
  }

  private static CliRun admin(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--url", server.url(), "--token", TestServer.ADMIN_TOKEN));
    return CliRun.of(all.toArray(String[]::new));
  }

  @Test
  void aMirrorIsCreatedRunListedAndItsHistoryShownWithoutItsCredentials() {
    CliRun created = admin("mirror", "create", "cli-up", "--upstream", upstream.url() + "/conda/up", "--channel",
        "down", "--label", "copied", "--mode", "passive", "--subdir", "linux-64", "--upstream-bearer",
        TestServer.ADMIN_TOKEN);
    assertThat(created.exit()).as(created.err()).isZero();
    assertThat(created.out()).contains("created mirror cli-up").contains("passive").contains("credentials set")
        .doesNotContain(TestServer.ADMIN_TOKEN);

    CliRun run = admin("mirror", "run", "cli-up");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("succeeded: 2 files, 0 bytes downloaded, 0 errors, 0 removed");
    // followed as a job: a line per phase off a terminal, the last with the run's counters
    assertThat(run.err()).contains("succeeded, done: files 2, files total 2, errors 0, removed 0");

    CliRun files = admin("file", "list", "--channel", "down", "--label", "copied");
    assertThat(files.rows().get(0)).contains("INDEXING");
    assertThat(files.rows()).anySatisfy(r -> assertThat(r).contains(ZLIB, "passive"));
    assertThat(server.get("/conda/down/label/copied/linux-64/" + ZLIB).statusCode()).isEqualTo(200);
    assertThat(admin("file", "list", "--channel", "down", "--label", "copied").rows())
        .anySatisfy(r -> assertThat(r).contains(ZLIB, "stored"))
        .anySatisfy(r -> assertThat(r).contains("other-package-0.2-0.conda", "passive"));

    CliRun list = admin("mirror", "list");
    assertThat(list.out()).contains("cli-up").contains(upstream.url() + "/conda/up -> down/label/copied")
        .doesNotContain(TestServer.ADMIN_TOKEN);
    CliRun history = admin("mirror", "history", "cli-up");
    assertThat(history.out().lines().filter(l -> l.contains("succeeded: 2 files"))).hasSize(1);
  }

  @Test
  void aPolicyIsCreatedFromFlagsAndAFileAndADryRunShowsWhyFilesAreLeft(@TempDir Path work) throws Exception {
    CliRun created = admin("policy", "create", "only-zlib", "--include", "zlib >=1.2", "--license-not-in", "GPL3",
        "--description", "zlib alone");
    assertThat(created.exit()).as(created.err()).isZero();
    assertThat(created.out()).contains("created policy only-zlib")
        .contains("{\"include\":[\"zlib >=1.2\"],\"license_not_in\":[\"GPL3\"]}");
    Path file = work.resolve("policy.json");
    java.nio.file.Files.writeString(file, "{\"subdirs\": [\"osx-64\"], \"signed_only\": true}");
    assertThat(admin("policy", "create", "from-file", "--file", file.toString(), "--drop-tar-bz2").out())
        .contains("{\"subdirs\":[\"osx-64\"],\"signed_only\":true,\"drop_tar_bz2\":true}");
    assertThat(admin("policy", "list").out()).contains("only-zlib").contains("from-file");
    assertThat(admin("policy", "show", "only-zlib").out()).contains("\"description\" : \"zlib alone\"");
    CliRun bad = admin("policy", "create", "bad", "--license-in", "WTFPL-ish");
    assertThat(bad.exit()).isNotZero();
    assertThat(bad.errLines()).hasSize(1);
    assertThat(bad.err()).contains("'WTFPL-ish' is not a license family");

    assertThat(admin("mirror", "create", "zl", "--upstream", upstream.url() + "/conda/up", "--channel", "down",
        "--label", "zl", "--mode", "passive", "--subdir", "linux-64", "--upstream-bearer", TestServer.ADMIN_TOKEN,
        "--policy", "only-zlib").exit()).isZero();
    CliRun dry = admin("mirror", "run", "zl", "--dry-run");
    assertThat(dry.exit()).as(dry.err()).isZero();
    assertThat(dry.out()).contains("  admit    linux-64/" + ZLIB)
        .contains("  exclude  linux-64/other-package-0.2-0.conda: other-package 0.2 0 matches none of the"
            + " included specs [zlib >=1.2]")
        .contains("policy only-zlib: 1 admitted, 1 excluded (dry run, nothing written)");
    assertThat(admin("mirror", "run", "zl", "--dry-run", "--format", "csv").out())
        .startsWith("subdir,filename,admitted,filter,reason\r\n").contains("linux-64," + ZLIB + ",true,,\r\n");
    assertThat(server.getJson("/conda/down/label/zl/linux-64/repodata.json").path("packages.conda").size()).isZero();
    CliRun run = admin("mirror", "run", "zl");
    assertThat(run.out()).as(run.err()).contains("succeeded: 1 files");
    com.fasterxml.jackson.databind.JsonNode mirrored =
        server.getJson("/conda/down/label/zl/linux-64/repodata.json").path("packages.conda");
    assertThat(mirrored.has(ZLIB)).isTrue();
    assertThat(mirrored.has("other-package-0.2-0.conda")).as("excluded by the policy").isFalse();
    assertThat(run.out()).contains("succeeded: 1 files").contains(", 1 excluded by policy (include 1)");
    assertThat(admin("mirror", "history", "zl").out()).contains("0 removed, 1 excluded by policy (include 1)");
  }

  @Test
  void aScheduledMirrorRunsDetachedAndIsDeletedLeavingItsFiles() throws Exception {
    CliRun created = admin("mirror", "create", "cli-every", "--upstream", upstream.url() + "/conda/up", "--channel",
        "down", "--label", "every", "--mode", "passive", "--subdir", "linux-64", "--upstream-bearer",
        TestServer.ADMIN_TOKEN, "--every", "1d12h");
    assertThat(created.exit()).as(created.err()).isZero();
    assertThat(created.out()).contains("every 1d12h");
    assertThat(admin("mirror", "list").out()).contains("every 1d12h");

    CliRun detached = admin("mirror", "run", "cli-every", "--detach");
    assertThat(detached.exit()).as(detached.err()).isZero();
    long id = Long.parseLong(detached.out().trim());
    assertThat(detached.err()).contains("job " + id + " queued");
    assertThat(Jobs.await(server, id, Duration.ofSeconds(60)).path("state").asText()).isEqualTo("succeeded");

    CliRun deleted = admin("mirror", "delete", "cli-every");
    assertThat(deleted.exit()).as(deleted.err()).isZero();
    assertThat(deleted.out()).contains("deleted mirror cli-every").contains("files it mirrored stay");
    assertThat(admin("mirror", "list").out()).doesNotContain("cli-every");
    assertThat(admin("file", "list", "--channel", "down", "--label", "every").rows())
        .anySatisfy(r -> assertThat(r).contains(ZLIB));
    CliRun again = admin("mirror", "delete", "cli-every");
    assertThat(again.exit()).isNotZero();
    assertThat(again.err()).contains("no mirror named cli-every");
  }

  @Test
  void runningAMirrorWhileARunOfItIsUnderWaySaysWhichJobToFollowAndFails() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch reached = new java.util.concurrent.CountDownLatch(1);
    // an upstream that holds every request until released, then has nothing: the first run stays under way
    com.sun.net.httpserver.HttpServer held = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 10);
    held.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    held.createContext("/", exchange -> {
      reached.countDown();
      try (exchange) {
        release.await(60, java.util.concurrent.TimeUnit.SECONDS);
        exchange.sendResponseHeaders(404, -1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    held.start();
    try {
      assertThat(admin("mirror", "create", "cli-busy", "--upstream", "http://127.0.0.1:" + held.getAddress().getPort()
          + "/conda/x", "--channel", "down", "--label", "busy", "--mode", "passive", "--subdir", "linux-64").exit())
          .isZero();
      CliRun first = admin("mirror", "run", "cli-busy", "--detach");
      long id = Long.parseLong(first.out().trim());
      assertThat(reached.await(60, java.util.concurrent.TimeUnit.SECONDS)).as("the first run asked upstream").isTrue();

      CliRun second = admin("mirror", "run", "cli-busy");
      assertThat(second.exit()).isNotZero();
      assertThat(second.errLines()).hasSize(1);
      assertThat(second.err()).contains("mirror cli-busy is already running as job " + id
          + "; follow it with: wharf job show " + id + " --wait (HTTP 409)");
      assertThat(second.out()).isEmpty();
    } finally {
      release.countDown();
      held.stop(0);
    }
    CliRun deleted = null;
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (deleted == null || deleted.exit() != 0) { // refused with 409 until the first run ended
      assertThat(System.nanoTime()).as("the first run ended: %s", deleted == null ? "" : deleted.err())
          .isLessThan(end);
      deleted = admin("mirror", "delete", "cli-busy");
      Thread.sleep(100);
    }
  }

  @Test
  void mirrorSetChangesPolicyScheduleAndRemovalsAndTheMirrorsPageShowsThem() {
    assertThat(admin("mirror", "create", "cli-set", "--upstream", upstream.url() + "/conda/up", "--channel", "down",
        "--label", "set", "--mode", "passive", "--subdir", "linux-64").exit()).isZero();
    assertThat(admin("policy", "create", "set-policy", "--include", "zlib").exit()).isZero();

    CliRun set = admin("mirror", "set", "cli-set", "--policy", "set-policy", "--remove-excluded", "true", "--every",
        "6h", "--remove-deleted", "true");
    assertThat(set.exit()).as(set.err()).isZero();
    assertThat(set.out()).contains("mirror cli-set: ").contains("removes deleted").contains("every 6h")
        .contains("policy set-policy (removes excluded)");
    String page = new String(server.send(server.admin("/mirrors")).body());
    String section = page.substring(page.indexOf("id=\"mirror-cli-set\""));
    section = section.substring(0, section.indexOf("</section>"));
    assertThat(section).contains("<dd class=\"mirror-policy\">set-policy, files it newly excludes are removed</dd>")
        .contains("<dd class=\"mirror-schedule\">every 6h, next ");

    CliRun unset = admin("mirror", "set", "cli-set", "--no-policy", "--no-schedule", "--remove-deleted", "false");
    assertThat(unset.exit()).as(unset.err()).isZero();
    assertThat(unset.out()).doesNotContain("policy").doesNotContain("every").doesNotContain("removes deleted");
    page = new String(server.send(server.admin("/mirrors")).body());
    section = page.substring(page.indexOf("id=\"mirror-cli-set\""));
    assertThat(section.substring(0, section.indexOf("</section>")))
        .contains("<dd class=\"mirror-policy\">none: everything upstream is taken</dd>")
        .contains("<dd class=\"mirror-schedule\">only when asked</dd>");

    CliRun both = admin("mirror", "set", "cli-set", "--policy", "set-policy", "--no-policy");
    assertThat(both.exit()).isNotZero();
    assertThat(both.errLines()).hasSize(1);
    assertThat(both.err()).contains("give --policy or --no-policy, not both");
    CliRun nothing = admin("mirror", "set", "cli-set");
    assertThat(nothing.exit()).isNotZero();
    assertThat(nothing.err()).contains("nothing to change");
    CliRun unknown = admin("mirror", "set", "cli-set", "--policy", "nope");
    assertThat(unknown.exit()).isNotZero();
    assertThat(unknown.errLines()).hasSize(1);
    assertThat(unknown.err()).contains("no policy named nope");
  }

  @Test
  void policySetReplacesTheFiltersAndDeleteIsRefusedWhileAMirrorFollowsThePolicy() {
    assertThat(admin("policy", "create", "changing", "--include", "zlib", "--description", "zlib only").exit())
        .isZero();
    CliRun set = admin("policy", "set", "changing", "--subdir", "noarch", "--drop-tar-bz2");
    assertThat(set.exit()).as(set.err()).isZero();
    assertThat(set.out()).contains("changed policy changing: {\"subdirs\":[\"noarch\"],\"drop_tar_bz2\":true}");
    assertThat(admin("policy", "show", "changing").out()).contains("\"description\" : \"zlib only\"")
        .doesNotContain("zlib\" ]");
    CliRun bad = admin("policy", "set", "changing", "--license-in", "WTFPL-ish");
    assertThat(bad.exit()).isNotZero();
    assertThat(bad.errLines()).hasSize(1);
    assertThat(bad.err()).contains("'WTFPL-ish' is not a license family");

    assertThat(admin("mirror", "create", "cli-del", "--upstream", upstream.url() + "/conda/up", "--channel", "down",
        "--label", "del", "--mode", "passive", "--subdir", "linux-64", "--policy", "changing").exit()).isZero();
    CliRun refused = admin("policy", "delete", "changing");
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.errLines()).hasSize(1);
    assertThat(refused.err()).contains("policy changing is followed by mirror(s) cli-del");
    assertThat(admin("policy", "list").out()).contains("changing");
    assertThat(admin("policy", "show", "changing").out()).contains("\"mirrors\" : [ \"cli-del\" ]");

    assertThat(admin("mirror", "set", "cli-del", "--no-policy").exit()).isZero();
    assertThat(admin("policy", "show", "changing").out()).contains("\"mirrors\" : [ ]");
    CliRun deleted = admin("policy", "delete", "changing");
    assertThat(deleted.exit()).as(deleted.err()).isZero();
    assertThat(deleted.out()).contains("deleted policy changing");
    assertThat(admin("policy", "list").out()).doesNotContain("changing");
    CliRun again = admin("policy", "delete", "changing");
    assertThat(again.exit()).isNotZero();
    assertThat(again.err()).contains("no policy named changing");
  }

  @Test
  void recordsChooseBetweenUpstreamsPatchedAndUnpatchedRepodataOnCreateAndSet() {
    CliRun created = admin("mirror", "create", "cli-rec", "--upstream", upstream.url() + "/conda/up", "--channel",
        "down", "--label", "rec", "--mode", "passive", "--subdir", "linux-64", "--records", "unpatched");
    assertThat(created.exit()).as(created.err()).isZero();
    assertThat(created.out()).contains("created mirror cli-rec: ").contains("unpatched records");
    String page = new String(server.send(server.admin("/mirrors")).body());
    String section = page.substring(page.indexOf("id=\"mirror-cli-rec\""));
    assertThat(section.substring(0, section.indexOf("</section>")))
        .contains("<dd class=\"mirror-records\">unpatched (repodata_from_packages.json)");

    CliRun set = admin("mirror", "set", "cli-rec", "--records", "patched");
    assertThat(set.exit()).as(set.err()).isZero();
    assertThat(set.out()).contains("mirror cli-rec: ").doesNotContain("unpatched");
    assertThat(TestServer.json(server.send(server.admin("/api/mirrors/cli-rec"))).path("records").asText())
        .isEqualTo("patched");

    CliRun bad = admin("mirror", "set", "cli-rec", "--records", "half");
    assertThat(bad.exit()).isNotZero();
    assertThat(bad.errLines()).hasSize(1);
    assertThat(bad.err()).contains("records must be patched").contains("not half");
  }

  @Test
  @org.junit.jupiter.api.Timeout(120)
  void runningAnUnpatchedMirrorOfAnUpstreamWithoutUnpatchedRecordsFailsNamingTheDocument() {
    upstream.createChannel("plain", "public");
    upstream.upload("plain", Fixtures.realPackage(ZLIB));
    CliRun created = admin("mirror", "create", "cli-nounp", "--upstream", upstream.url() + "/conda/plain",
        "--channel", "down", "--label", "nounp", "--mode", "passive", "--subdir", "linux-64", "--records",
        "unpatched");
    assertThat(created.exit()).as(created.err()).isZero();

    CliRun run = admin("mirror", "run", "cli-nounp");
    assertThat(run.exit()).isNotZero();
    assertThat(run.err()).contains("repodata_from_packages.json").contains("records=patched");
  }

  @Test
  void aMirrorOfAnUnknownModeIsRefusedInOneLine() {
    CliRun r = admin("mirror", "create", "bad", "--upstream", "https://example.org/conda/x", "--channel", "down",
        "--mode", "lazy");
    assertThat(r.exit()).isNotZero();
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.err()).contains("mode must be active or passive");
  }
}
