package io.wharf.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code wharf user}, {@code wharf token} and {@code wharf channel member(s)}, refusals included. */
@Timeout(120)
class AccountCliTest {
  @TempDir static Path data;
  @TempDir static Path offline;
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(data);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static CliRun with(String token, String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.addAll(List.of("--url", server.url(), "--token", token));
    return CliRun.of(all.toArray(String[]::new));
  }

  static CliRun admin(String... args) {
    return with(TestServer.ADMIN_TOKEN, args);
  }

  /** Runs with this text on standard input (the password of {@code --password-stdin}). */
  static CliRun withInput(String input, CliRun.Command run) {
    InputStream in = System.in;
    System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
    try {
      return run.run();
    } finally {
      System.setIn(in);
    }
  }

  static String lastLine(CliRun r) {
    List<String> lines = r.out().lines().filter(l -> !l.isBlank()).toList();
    return lines.get(lines.size() - 1);
  }

  @Test
  void anAdministratorCreatesListsAndDisablesUsers() {
    CliRun created = withInput("a long password\n", () -> admin("user", "create", "alice", "--password-stdin"));
    assertThat(created.exit()).as(created.err()).isZero();
    assertThat(created.out()).contains("created user alice");
    CliRun svc = admin("user", "create", "ci-bot", "--service");
    assertThat(svc.out()).contains("created user ci-bot (service account)");

    CliRun list = admin("user", "list");
    assertThat(list.rows()).contains(List.of("alice", "user"), List.of("ci-bot", "service"));

    String token = lastLine(admin("token", "create", "--name", "bot", "--owner", "ci-bot"));
    assertThat(CliRun.of("channel", "list", "--url", server.url(), "--token", token).exit()).isZero();
    CliRun disabled = admin("user", "disable", "ci-bot");
    assertThat(disabled.out()).contains("disabled user ci-bot");
    CliRun refused = CliRun.of("channel", "list", "--url", server.url(), "--token", token);
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.errLines()).containsExactly("error: the token is not valid (HTTP 401)");
  }

  @Test
  void tokensAreCreatedListedUsedAndRevoked() {
    admin("channel", "create", "cli-secret", "--privacy", "private");
    CliRun created = admin("token", "create", "--name", "reader", "--channel", "cli-secret", "--permission", "read",
        "--expires-days", "7", "--owner", "scoped-owner-missing");
    assertThat(created.exit()).isNotZero();
    assertThat(created.errLines()).containsExactly("error: user 'scoped-owner-missing' does not exist (HTTP 404)");

    withInput("a long password\n", () -> admin("user", "create", "carol", "--admin", "--password-stdin"));
    CliRun made = admin("token", "create", "--name", "reader", "--channel", "cli-secret", "--permission", "read",
        "--expires-days", "7", "--owner", "carol");
    assertThat(made.exit()).as(made.err()).isZero();
    String secret = lastLine(made);
    assertThat(secret).startsWith("wh-").doesNotContain(" ");

    CliRun shown = with(secret, "channel", "show", "cli-secret");
    assertThat(shown.exit()).as(shown.err()).isZero();
    CliRun list = admin("token", "list", "--all", "--json");
    assertThat(list.json().findValuesAsText("name")).contains("reader");
    assertThat(list.json().get(0).get("last_used_at").isNull()).as("its use is recorded").isFalse();
    assertThat(admin("token", "list", "--all").rows()).anySatisfy(row -> assertThat(row)
        .startsWith(list.json().get(0).get("id").asText(), "reader", "carol", "cli-secret", "read"));
    assertThat(list.out()).doesNotContain(secret);
    String id = list.json().get(0).get("id").asText();

    CliRun cannot = with(secret, "token", "list");
    assertThat(cannot.exit()).isNotZero();
    assertThat(cannot.errLines()).containsExactly(
        "error: this token may not manage tokens; that needs an unscoped manage token (HTTP 403)");

    assertThat(admin("token", "revoke", id).out()).contains("revoked token " + id);
    CliRun after = with(secret, "channel", "show", "cli-secret");
    assertThat(after.exit()).isNotZero();
    assertThat(after.errLines()).containsExactly("error: the token is not valid (HTTP 401)");

    CliRun tooLong = admin("token", "create", "--name", "x", "--expires-days", "1000", "--owner", "carol");
    assertThat(tooLong.errLines()).containsExactly("error: a token expires after 1 to 365 days (HTTP 400)");
  }

  @Test
  void ownersManageMembersAndOthersAreRefused() {
    admin("channel", "create", "cli-team", "--privacy", "private");
    withInput("a long password\n", () -> admin("user", "create", "dave", "--password-stdin"));
    withInput("a long password\n", () -> admin("user", "create", "erin", "--password-stdin"));
    CliRun added = admin("channel", "member", "add", "cli-team", "dave", "--role", "owner");
    assertThat(added.out()).contains("dave is owner of cli-team");
    String daves = lastLine(admin("token", "create", "--name", "d", "--owner", "dave", "--permission", "manage"));
    assertThat(with(daves, "channel", "member", "add", "cli-team", "erin", "--role", "viewer").exit()).isZero();
    assertThat(with(daves, "channel", "members", "cli-team").rows())
        .contains(List.of("dave", "owner"), List.of("erin", "viewer"));
    assertThat(with(daves, "channel", "set", "cli-team", "--privacy", "authenticated").out())
        .contains("channel cli-team is authenticated");

    String erins = lastLine(admin("token", "create", "--name", "e", "--owner", "erin", "--permission", "manage"));
    CliRun refused = with(erins, "channel", "member", "remove", "cli-team", "dave");
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.errLines()).containsExactly("error: you may not manage channel 'cli-team' (HTTP 403)");
    CliRun badRole = with(daves, "channel", "member", "add", "cli-team", "erin", "--role", "king");
    assertThat(badRole.errLines()).containsExactly("error: role must be viewer, curator, maintainer or owner (HTTP 400)");

    assertThat(with(daves, "channel", "member", "remove", "cli-team", "erin").out())
        .contains("erin is no longer a member of cli-team");
  }

  @Test
  void theFirstAdministratorIsCreatedInTheDataDirectoryAndCanSignIn() {
    CliRun made = withInput("first admin password\n", () -> CliRun.of("user", "create", "root", "--admin",
        "--password-stdin", "--data-dir", offline.toString()));
    assertThat(made.exit()).as(made.err()).isZero();
    assertThat(made.out()).contains("created user root (administrator)");
    CliRun again = withInput("first admin password\n", () -> CliRun.of("user", "create", "root", "--admin",
        "--password-stdin", "--data-dir", offline.toString()));
    assertThat(again.exit()).isNotZero();
    assertThat(again.errLines()).containsExactly("error: user 'root' already exists");
    CliRun shortPassword = withInput("short\n", () -> CliRun.of("user", "create", "other", "--password-stdin",
        "--data-dir", offline.toString()));
    assertThat(shortPassword.errLines()).containsExactly("error: the password must have at least 8 characters");
    try (TestServer second = TestServer.start(offline)) {
      var session = new io.wharf.server.testing.Personas(second).signIn("root", "first admin password");
      assertThat(second.send(session.apply(second.request("/api/users"))).statusCode()).isEqualTo(200);
    }
  }
}
