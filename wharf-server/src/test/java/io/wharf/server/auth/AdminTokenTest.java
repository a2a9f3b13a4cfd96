package io.wharf.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated administrator token survives restarts, and a start killed while making it never blocks the next. */
class AdminTokenTest {
  @TempDir Path data;
  private final ByteArrayOutputStream console = new ByteArrayOutputStream();
  private final PrintStream announce = new PrintStream(console, true, StandardCharsets.UTF_8);

  /** What start-up does: resolve, and once the server listens, keep. */
  private String start() throws Exception {
    AdminToken t = AdminToken.resolve(null, data);
    t.keep(announce);
    return t.value();
  }

  @Test
  void theFirstStartGeneratesAndPrintsATokenThatLaterStartsReuse() throws Exception {
    String token = start();
    assertThat(Tokens.isWellFormed(token)).isTrue();
    assertThat(console.toString(StandardCharsets.UTF_8)).contains(token);
    assertThat(Files.readString(data.resolve(AdminToken.FILE_NAME)).trim()).isEqualTo(token);
    assertThat(start()).isEqualTo(token);
    try (Stream<Path> files = Files.list(data)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly(AdminToken.FILE_NAME);
    }
  }

  @Test
  void aTokenFileLeftEmptyByAKilledStartIsReplacedByANewToken() throws Exception {
    // a process killed between creating the file and writing the token (never printed, nobody holds it)
    Files.writeString(data.resolve(AdminToken.FILE_NAME), "");
    String token = start();
    assertThat(Tokens.isWellFormed(token)).isTrue();
    assertThat(Files.readString(data.resolve(AdminToken.FILE_NAME)).trim()).isEqualTo(token);
    assertThat(console.toString(StandardCharsets.UTF_8)).contains(token);
  }

  @Test
  void aHalfWrittenTemporaryTokenOfAKilledStartIsRemovedAndNotUsed() throws Exception {
    Files.writeString(data.resolve(".admin-token-123.tmp"), "wh-half");
    String token = start();
    assertThat(token).isNotEqualTo("wh-half");
    assertThat(Files.exists(data.resolve(".admin-token-123.tmp"))).isFalse();
  }

  @Test
  void aTokenFileEditedIntoSomethingElseIsStillRefused() throws Exception {
    Files.writeString(data.resolve(AdminToken.FILE_NAME), "not a token!\n");
    assertThatThrownBy(() -> AdminToken.resolve(null, data)).hasMessageContaining("malformed");
  }
}
