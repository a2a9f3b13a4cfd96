package io.wharf.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The current server starts on a data directory left by each earlier schema version and serves what was
 * stored there as before: the directory has the database migrated to that version with the rows that
 * version wrote ({@code src/test/resources/upgrade/seed-V*.sql}, each applied from its version on) and the
 * blobs those rows name, without the store identity that later versions write.
 */
class UpgradeTest {
  static final String ZLIB = "zlib-1.2.11-h7b6447c_3.conda";
  static final String SPIFFY = "spiffy-test-app-0.5-pyh6afbcc8_0.tar.bz2";
  /** The versions that brought a seed: a data directory of version v holds every seed up to v. */
  private static final List<Integer> SEEDS = List.of(1, 3, 4, 6, 7, 24, 32);

  @TempDir Path data;

  /** Every schema version the migrations know, the newest included. */
  static Stream<String> versions() {
    return versionsOf(Dialect.SQLITE, "jdbc:sqlite::memory:", null, null);
  }

  static Stream<String> versionsOf(Dialect dialect, String url, String user, String password) {
    MigrationInfo[] all = Flyway.configure().locations(dialect.migrationLocations())
        .dataSource(url, user, password).load().info().all();
    return Arrays.stream(all).map(m -> m.getVersion().getVersion());
  }

  @ParameterizedTest(name = "schema version {0}")
  @MethodSource("versions")
  void theCurrentServerServesADataDirectoryOfThisVersionAsBefore(String version) throws Exception {
    dataDirectoryOf(Integer.parseInt(version));
    try (TestServer server = TestServer.start(data)) {
      servesAsBefore(server);
      keepsPassiveFilesPassive(server, Integer.parseInt(version));
    }
  }

  /** What a server on an upgraded database must serve: the old files, privacy, search, and new uploads. */
  static void servesAsBefore(TestServer server) throws IOException {
    JsonNode repodata = server.getJson("/conda/legacy-public/linux-64/repodata.json");
    assertThat(repodata.path("packages.conda").path(ZLIB).path("sha256").asText())
        .isEqualTo("f33afff2144e1d6c4cf2e3e184937db8bf825b4537df74662aea5ee207b6a31b");
    assertThat(repodata.path("packages.conda").path(ZLIB).path("depends").get(0).asText())
        .isEqualTo("libgcc-ng >=7.3.0");
    assertThat(server.get("/conda/legacy-public/linux-64/" + ZLIB).body())
        .isEqualTo(Files.readAllBytes(Fixtures.realPackage(ZLIB)));

    assertThat(server.get("/conda/legacy-private/noarch/repodata.json").statusCode())
        .as("a private channel stays private").isIn(401, 403, 404);
    String tokenPath = "/t/" + TestServer.ADMIN_TOKEN + "/conda/legacy-private/noarch/";
    assertThat(server.getJson(tokenPath + "repodata.json").path("packages").has(SPIFFY)).isTrue();
    assertThat(server.get(tokenPath + SPIFFY).body()).isEqualTo(Files.readAllBytes(Fixtures.realPackage(SPIFFY)));

    JsonNode hits = TestServer.json(server.send(server.admin("/api/search?q=zlib").GET()));
    assertThat(hits.toString()).as("the search index has the old names").contains("\"zlib\"");
    // the old data directory takes new uploads beside the old files
    Path other = Fixtures.realPackage("other-package-0.2-0.conda");
    assertThat(server.upload("legacy-public", other).statusCode()).isEqualTo(201);
  }

  /** From version 32 on, the seeded mirror's file whose bytes were never fetched is still known as passive. */
  static void keepsPassiveFilesPassive(TestServer server, int version) {
    if (version < 32) {
      return;
    }
    JsonNode mirrored = TestServer.json(server.send(server.admin(
        "/api/channels/legacy-public/files/linux-64/mirrored-1.0-0.conda")));
    assertThat(mirrored.path("indexing").asText()).isEqualTo("passive");
    JsonNode zlib = TestServer.json(server.send(server.admin("/api/channels/legacy-public/files/linux-64/" + ZLIB)));
    assertThat(zlib.path("indexing").asText()).isEqualTo("stored");
  }

  private void dataDirectoryOf(int version) throws IOException {
    String url = "jdbc:sqlite:" + data.resolve("wharf.db");
    Jdbi jdbi = migratedAndSeeded(Dialect.SQLITE, url, null, null, version);
    copyBlobs(jdbi, data);
  }

  /**
   * The database at {@code url} migrated to {@code version} and holding the rows versions up to it wrote;
   * the seeds are plain SQL that both engines read.
   */
  static Jdbi migratedAndSeeded(Dialect dialect, String url, String user, String password, int version) {
    Flyway.configure().dataSource(url, user, password).locations(dialect.migrationLocations())
        .target(String.valueOf(version)).load().migrate();
    Jdbi jdbi = user == null ? Jdbi.create(url) : Jdbi.create(url, user, password);
    for (int seed : SEEDS) {
      if (seed <= version) {
        String sql = resource(String.format("/upgrade/seed-V%02d.sql", seed));
        jdbi.useHandle(h -> {
          for (String statement : sql.split(";\n")) {
            String s = statement.lines().filter(l -> !l.startsWith("--")).reduce("", (a, b) -> a + b + "\n").trim();
            if (!s.isEmpty()) {
              h.execute(s);
            }
          }
        });
      }
    }
    return jdbi;
  }

  /** The blobs the seeded rows name, under {@code data/blobs} as the local blob store keeps them. */
  static void copyBlobs(Jdbi jdbi, Path data) throws IOException {
    for (String file : List.of(ZLIB, SPIFFY)) {
      Path pkg = Fixtures.realPackage(file);
      String sha = jdbi.withHandle(h -> h.createQuery("SELECT sha256 FROM package_files WHERE filename = :f")
          .bind("f", file).mapTo(String.class).one());
      Path blob = data.resolve("blobs/sha256").resolve(sha.substring(0, 2)).resolve(sha);
      Files.createDirectories(blob.getParent());
      Files.copy(pkg, blob);
    }
  }

  private static String resource(String name) {
    try (InputStream in = UpgradeTest.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
