package io.wharf.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wharf check --data DIR} on the embedded configuration, while a server runs on the directory. */
class CheckCliTest {
  private static final Path ZLIB_CONDA = Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.conda");
  private static final Path ZLIB_BZ2 = Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.tar.bz2");
  private static final Path OTHER = Fixtures.realPackage("other-package-0.2-0.conda");
  private static final String ZLIB_CONDA_SHA = "f33afff2144e1d6c4cf2e3e184937db8bf825b4537df74662aea5ee207b6a31b";

  @TempDir Path data;
  TestServer server;

  @BeforeEach
  void start() {
    server = TestServer.start(data);
    assertThat(server.createChannel("main", "public").statusCode()).isEqualTo(201);
    for (Path p : new Path[] {ZLIB_CONDA, ZLIB_BZ2, OTHER}) {
      assertThat(server.upload("main", p).statusCode()).isEqualTo(201);
    }
    assertThat(server.createChannel("copy", "public").statusCode()).isEqualTo(201);
    assertThat(server.upload("copy", ZLIB_CONDA).statusCode()).as("a second row sharing the blob").isEqualTo(201);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aConsistentDataDirectoryPassesWhileTheServerRunsOnIt() {
    CliRun run = CliRun.of("check", "--data", data.toString());

    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("package files and their blobs: 4", "stored blobs under sha256/: 3",
        "checked: files 4 blobs 3 search_names 3", "no problems found");
  }

  @Test
  void findsAMissingBlobWrongBytesAnOrphanAndAStaleSearchRowAndRepairsOnlyWhatIsSafe() throws Exception {
    Path zlibConda = blob(ZLIB_CONDA_SHA);
    Path other = blob(sha256Of("other-package-0.2-0.conda"));
    Files.delete(zlibConda);                                            // missing blob, two rows use it
    byte[] bytes = Files.readAllBytes(other);
    bytes[bytes.length / 2] ^= 0x55;
    Files.write(other, bytes);                                          // same size, other bytes
    String orphanSha = "ab".repeat(32);
    Path orphan = blob(orphanSha);
    Files.createDirectories(orphan.getParent());
    Files.writeString(orphan, "left by an upload that never committed");
    Files.setLastModifiedTime(orphan, FileTime.from(Instant.now().minus(2, ChronoUnit.HOURS)));
    String youngSha = "cd".repeat(32);
    Path young = blob(youngSha);
    Files.createDirectories(young.getParent());
    Files.writeString(young, "an upload under way");                  // within the grace period
    sql("UPDATE package_search SET latest_version = '0.0.1' WHERE name = 'zlib'"
        + " AND channel_id = (SELECT id FROM channels WHERE name = 'main')");

    CliRun found = CliRun.of("check", "--data", data.toString());

    assertThat(found.exit()).isEqualTo(1);
    assertThat(found.out().lines())
        .anyMatch(l -> l.startsWith("missing_blob  main/linux-64/zlib-1.2.11-h7b6447c_3.conda:"))
        .anyMatch(l -> l.startsWith("missing_blob  copy/linux-64/zlib-1.2.11-h7b6447c_3.conda:"))
        .anyMatch(l -> l.startsWith("wrong_sha256  main/linux-64/other-package-0.2-0.conda:"))
        .anyMatch(l -> l.startsWith("orphan_blob  sha256/ab/" + orphanSha + ":"))
        .anyMatch(l -> l.startsWith("search_stale  main/zlib:"))
        .noneMatch(l -> l.contains(youngSha))
        .noneMatch(l -> l.contains("[repaired]"));
    assertThat(found.out()).contains("5 problems, 0 repaired");

    CliRun repaired = CliRun.of("check", "--data", data.toString(), "--repair");

    assertThat(repaired.exit()).as("what cannot be repaired is still a problem").isEqualTo(1);
    assertThat(repaired.out().lines())
        .anyMatch(l -> l.startsWith("orphan_blob  sha256/ab/" + orphanSha + ":") && l.endsWith("[repaired]"))
        .anyMatch(l -> l.startsWith("search_stale  main/zlib:") && l.endsWith("[repaired]"))
        .anyMatch(l -> l.startsWith("missing_blob  main/linux-64/zlib") && !l.endsWith("[repaired]"))
        .anyMatch(l -> l.startsWith("wrong_sha256  main/linux-64/other") && !l.endsWith("[repaired]"));
    assertThat(orphan).doesNotExist();
    assertThat(young).exists();
    assertThat(count("SELECT count(*) FROM package_files")).as("no row is deleted for a missing blob").isEqualTo(4);

    CliRun after = CliRun.of("check", "--data", data.toString());
    assertThat(after.out()).contains("3 problems, 0 repaired").doesNotContain("orphan_blob", "search_stale");
  }

  @Test
  void aBlobOfTheWrongSizeIsReportedWithBothSizes() throws Exception {
    Path zlib = blob(ZLIB_CONDA_SHA);
    Files.write(zlib, new byte[] {1, 2, 3});

    CliRun run = CliRun.of("check", "--data", data.toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).contains("wrong_size  main/linux-64/zlib-1.2.11-h7b6447c_3.conda: blob sha256/f3/"
        + ZLIB_CONDA_SHA + " holds 3 bytes, the row records " + Files.size(ZLIB_CONDA));
  }

  @Test
  void aDirectoryWithoutDatabaseIsRefusedInOneLine(@TempDir Path empty) {
    CliRun run = CliRun.of("check", "--data", empty.toString());

    assertThat(run.exit()).isNotZero();
    assertThat(run.errLines()).containsExactly("error: no Wharf database at " + empty.resolve("wharf.db"));
  }

  private Path blob(String sha) {
    return data.resolve("blobs/sha256").resolve(sha.substring(0, 2)).resolve(sha);
  }

  private String sha256Of(String filename) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT sha256 FROM package_files WHERE filename = '" + filename + "'")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private long count(String query) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private void sql(String statement) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout = 10000");
      assertThat(s.executeUpdate(statement)).isPositive();
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + data.resolve("wharf.db"));
  }
}
