package io.wharf.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.server.db.Database;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bootstrap administrator token: shown once, only its hash stored, in the database, never on disk. */
class AdminTokenTest {
  @TempDir Path data;
  private final ByteArrayOutputStream console = new ByteArrayOutputStream();
  private final PrintStream announce = new PrintStream(console, true, StandardCharsets.UTF_8);
  private Database db;
  private JdbcTokens tokens;
  private Authenticator auth;

  @BeforeEach
  void open() {
    db = Database.openSqlite(data.resolve("wharf.db"));
    tokens = new JdbcTokens(db);
    auth = new Authenticator(new JdbcUsers(db), tokens, new JdbcSessions(db), Clock.systemUTC());
  }

  @AfterEach
  void close() {
    db.close();
  }

  /** What start-up does: resolve, and once the server listens, keep. */
  private String start(String configured) throws Exception {
    return AdminToken.resolve(configured, data).keep(tokens, announce);
  }

  @Test
  void theFirstStartGeneratesAndPrintsATokenWhoseHashAloneIsStored() throws Exception {
    String token = start(null);
    assertThat(Tokens.isWellFormed(token)).isTrue();
    assertThat(console.toString(StandardCharsets.UTF_8)).contains(token);
    assertThat(auth.authenticate(token).isAdmin()).isTrue();
    java.util.List<String> stored = db.jdbi().withHandle(h -> h.createQuery(
        "SELECT secret_hash || ' ' || prefix FROM api_tokens").mapTo(String.class).list());
    assertThat(stored).containsExactly(Tokens.hash(token) + " " + token.substring(0, 11));
    try (var files = Files.list(data)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("admin-token"));
    }

    console.reset();
    assertThat(start(null)).as("a later start knows only the hash").isNull();
    assertThat(console.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(auth.authenticate(token).isAdmin()).isTrue();
  }

  @Test
  void aConfiguredTokenReplacesTheEarlierBootstrapToken() throws Exception {
    String generated = start(null);
    String configured = "configured-admin-token-0123";
    assertThat(start(configured)).isEqualTo(configured);
    assertThat(auth.authenticate(configured).isAdmin()).isTrue();
    assertThatThrownBy(() -> auth.authenticate(generated)).hasMessage("the token is not valid");
  }

  @Test
  void aTokenFileOfAnEarlierVersionIsImportedAndRemoved() throws Exception {
    String legacy = Tokens.generate();
    Files.writeString(data.resolve(AdminToken.LEGACY_FILE_NAME), legacy + "\n");
    assertThat(start(null)).isEqualTo(legacy);
    assertThat(data.resolve(AdminToken.LEGACY_FILE_NAME)).doesNotExist();
    assertThat(auth.authenticate(legacy).isAdmin()).isTrue();
    assertThat(console.toString(StandardCharsets.UTF_8)).as("its holder has it already").isEmpty();
  }

  @Test
  void aTokenFileEditedIntoSomethingElseIsStillRefused() throws Exception {
    Files.writeString(data.resolve(AdminToken.LEGACY_FILE_NAME), "not a token!\n");
    assertThatThrownBy(() -> AdminToken.resolve(null, data)).hasMessageContaining("malformed");
  }
}
