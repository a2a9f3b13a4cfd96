package io.wharf.server.e2e.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crashes lose nothing: a server process killed with SIGKILL at random moments while several clients
 * upload keeps every acknowledged upload, serves repodata equal to its rows, leaves no blob without a
 * row after a sweep and no spool file after a restart. {@code -Dwharf.crash.kills=N} sets the kills per
 * engine (10 by default; {@code bench/crash-loop.sh} runs 50), {@code -Dwharf.crash.seed=S} replays a
 * loop, {@code -Dwharf.crash.report=FILE} appends each summary line to FILE.
 */
class CrashLoopTest {
  private static final int KILLS = Integer.getInteger("wharf.crash.kills", 10);

  @TempDir Path work;

  @Test
  void sqliteAndDiskLoseNoAcknowledgedUploadWhenKilledAtRandomMoments() throws Exception {
    loop(CrashLoop.Engine.SQLITE_DISK);
  }

  @Test
  void postgresAndS3LoseNoAcknowledgedUploadWhenKilledAtRandomMoments() throws Exception {
    loop(CrashLoop.Engine.POSTGRES_S3);
  }

  private void loop(CrashLoop.Engine engine) throws Exception {
    long seed = Long.getLong("wharf.crash.seed", System.nanoTime());
    CrashLoop.Result result = CrashLoop.run(engine, KILLS, seed, work, System.out);
    System.out.println(result.summary());
    report(result.summary());
    assertThat(result.runs()).isEqualTo(KILLS);
    assertThat(result.acknowledged()).as("uploads were acknowledged between the kills").isPositive();
  }

  private static void report(String line) throws IOException {
    String file = System.getProperty("wharf.crash.report");
    if (file != null && !file.isBlank()) {
      Files.writeString(Path.of(file), line + System.lineSeparator(), StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
  }
}
