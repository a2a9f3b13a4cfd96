package io.wharf.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.testing.CveChannels;
import io.wharf.server.testing.Personas;
import io.wharf.server.testing.TestServer;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wharf cve set-status} by a channel's curator (with their own token), and {@code wharf cve list} with
 * the per-file filter and the modified and curated date ranges. "triage" holds requests 2.19.0 and 2.30.0 and
 * has "cora" as curator (granted with {@code wharf channel member add}); "shelf" holds the real zlib, where cora
 * is a viewer.
 */
class CveCurationCliTest {
  private static final String OLD = "requests-2.19.0-0.tar.bz2";
  private static final String RECENT = "requests-2.30.0-0.tar.bz2";

  @TempDir static Path data;
  @TempDir static Path work;
  static TestServer server;
  static String token;

  @BeforeAll
  static void start() {
    server = TestServer.start(data);
    server.createChannel("triage", "private");
    server.createChannel("shelf", "private");
    CveChannels.uploadRequests(server, work, "triage", "2.19.0");
    CveChannels.uploadRequests(server, work, "triage", "2.30.0");
    CveChannels.uploadZlib(server, "shelf");
    CveChannels.importNvd(server);
    Personas people = new Personas(server);
    people.user("cora", "a long curator password", false);
    CliRun granted = CliRun.of("channel", "member", "add", "triage", "cora", "--role", "curator", "--url",
        server.url(), "--token", TestServer.ADMIN_TOKEN);
    assertThat(granted.exit()).as(granted.err()).isZero();
    assertThat(granted.out()).contains("cora is curator of triage");
    people.member("shelf", "cora", "viewer");
    token = people.token(people.signIn("cora", "a long curator password"), "cli", "[]", "write").get("secret")
        .asText();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static CliRun cora(String... args) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 4);
    all[args.length] = "--url";
    all[args.length + 1] = server.url();
    all[args.length + 2] = "--token";
    all[args.length + 3] = token;
    return CliRun.of(all);
  }

  @Test
  void aCuratorSetsTheStatusOfEveryVersionInTheirChannelAndIsRefusedInOneLineElsewhere() {
    CliRun done = cora("cve", "set-status", "CVE-2023-32681", "Mitigated", "--channel", "triage", "--package",
        "requests", "--note", "no proxies");
    CliRun refused = cora("cve", "set-status", "CVE-2022-37434", "Cleared", "--channel", "shelf", "--package",
        "zlib");

    assertThat(done.exit()).as(done.err()).isZero();
    assertThat(done.out().lines().toList()).containsExactlyInAnyOrder(
        "CVE-2023-32681 triage/noarch/" + OLD + ": Mitigated",
        "CVE-2023-32681 triage/noarch/" + RECENT + ": Mitigated");
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.err().strip().lines()).containsExactly(
        "error: you may not curate the CVEs of channel 'shelf' (HTTP 403)");
  }

  @Test
  void listKeepsOneFilesCves() {
    CliRun recent = cora("cve", "list", "--channel", "triage", "--file", "noarch/" + RECENT, "--json");
    CliRun old = cora("cve", "list", "--channel", "triage", "--file", "noarch/" + OLD, "--json");

    assertThat(recent.exit()).as(recent.err()).isZero();
    assertThat(recent.out().lines()).singleElement().asString().contains("\"id\":\"CVE-2023-32681\"");
    assertThat(old.out().lines()).hasSize(2);
  }

  @Test
  void listFiltersByTheModifiedAndCuratedRanges() {
    CliRun modified = cora("cve", "list", "--modified-from", "2025-05-01", "--modified-to", "2025-06-01");
    CliRun oldModified = cora("cve", "list", "--modified-to", "2024-01-01");
    assertThat(modified.exit()).as(modified.err()).isZero();
    assertThat(modified.out().lines()).singleElement().asString().startsWith("CVE-2022-37434");
    assertThat(oldModified.out().lines()).singleElement().asString().startsWith("CVE-2023-32681");

    assertThat(cora("cve", "set-status", "CVE-2018-18074", "Disputed", "--channel", "triage", "--subdir", "noarch",
        "--file", OLD).exit()).isZero();
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    CliRun curated = cora("cve", "list", "--curated-from", today, "--json");
    CliRun before = cora("cve", "list", "--curated-to", "2020-01-01");

    assertThat(curated.out()).contains("\"id\":\"CVE-2018-18074\"").doesNotContain("CVE-2022-37434");
    assertThat(before.out().strip()).isEqualTo("no CVEs");
    CliRun bad = cora("cve", "list", "--curated-from", "last week");
    assertThat(bad.exit()).isNotZero();
    assertThat(bad.err().strip().lines()).hasSize(1);
  }
}
