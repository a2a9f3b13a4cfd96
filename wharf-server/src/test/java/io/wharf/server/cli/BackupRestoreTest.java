package io.wharf.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.conda.archive.PackageWriter;
import io.wharf.server.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wharf backup} of a serving data directory and {@code wharf restore} into a new one. */
class BackupRestoreTest {
  private static final long DEADLINE_MILLIS = 120_000;

  @TempDir Path work;

  @Test
  void aBackupTakenDuringUploadsHoldsEveryUploadAcknowledgedBeforeItsSnapshotAndRestoresClean() throws Exception {
    Path data = work.resolve("data");
    Path archive = work.resolve("wharf-backup.tar");
    Path restored = work.resolve("restored");
    Map<String, Instant> acknowledged = new ConcurrentHashMap<>();
    Set<String> attempted = ConcurrentHashMap.newKeySet();
    try (TestServer server = TestServer.start(data)) {
      assertThat(server.createChannel("live", "public").statusCode()).isEqualTo(201);
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> uploaders = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        int thread = t;
        uploaders.add(new Thread(() -> uploadUntil(server, thread, stop, attempted, acknowledged)));
      }
      uploaders.forEach(Thread::start);
      long deadline = System.currentTimeMillis() + DEADLINE_MILLIS;
      awaitAtLeast(acknowledged, 15, deadline);

      CliRun backup = CliRun.of("backup", "--data", data.toString(), "-o", archive.toString());

      int atBackupEnd = acknowledged.size();
      awaitAtLeast(acknowledged, atBackupEnd + 6, deadline); // uploads went on during and after the backup
      stop.set(true);
      for (Thread u : uploaders) {
        u.join(DEADLINE_MILLIS);
      }
      assertThat(backup.exit()).as(backup.err()).isZero();
      assertThat(backup.out()).contains("backed up ", " to " + archive);
    }

    CliRun restore = CliRun.of("restore", archive.toString(), "--data", restored.toString());

    assertThat(restore.exit()).as(restore.err()).isZero();
    JsonNode manifest = manifest(archive);
    Instant snapshotAt = Instant.parse(manifest.get("snapshot_at").asText());
    Set<String> inRestore = filenames(restored);
    Set<String> acknowledgedBefore = new HashSet<>();
    acknowledged.forEach((f, at) -> {
      if (at.isBefore(snapshotAt)) {
        acknowledgedBefore.add(f);
      }
    });
    assertThat(acknowledgedBefore).hasSizeGreaterThanOrEqualTo(15);
    assertThat(inRestore).containsAll(acknowledgedBefore);
    assertThat(attempted).containsAll(inRestore);
    assertThat(inRestore).as("uploads acknowledged after the backup ended are not in it")
        .hasSizeLessThan(acknowledged.size());
    assertThat(manifest.get("blobs").asLong()).isEqualTo(inRestore.size());

    assertThat(Files.readString(restored.resolve("blobs").resolve("wharf-store-identity")).trim())
        .as("the restored store names the restored database").isEqualTo(manifest.get("database_id").asText());

    CliRun check = CliRun.of("check", "--data", restored.toString());
    assertThat(check.exit()).as(check.out()).isZero();
    assertThat(check.out()).contains("no problems found");

    // the restored pair starts (its store names its database) and serves what it holds
    try (TestServer again = TestServer.start(restored)) {
      JsonNode repodata = again.getJson("/conda/live/noarch/repodata.json");
      assertThat(repodata.get("packages").size()).isEqualTo(inRestore.size());
      String one = inRestore.iterator().next();
      HttpResponse<byte[]> file = again.get("/conda/live/noarch/" + one);
      assertThat(file.statusCode()).isEqualTo(200);
      assertThat(file.body()).isEqualTo(Files.readAllBytes(work.resolve("packages").resolve(one)));
    }
  }

  @Test
  void restoreRefusesADirectoryThatIsNotEmpty() throws Exception {
    Path data = work.resolve("data");
    try (TestServer server = TestServer.start(data)) {
      assertThat(server.createChannel("c", "public").statusCode()).isEqualTo(201);
    }
    Path archive = work.resolve("b.tar");
    assertThat(CliRun.of("backup", "--data", data.toString(), "-o", archive.toString()).exit()).isZero();
    Path busy = Files.createDirectories(work.resolve("busy"));
    Files.writeString(busy.resolve("notes.txt"), "mine");

    CliRun run = CliRun.of("restore", archive.toString(), "--data", busy.toString());

    assertThat(run.exit()).isNotZero();
    assertThat(run.errLines()).containsExactly("error: refusing to restore into " + busy + ": it is not empty");
    assertThat(busy.resolve("notes.txt")).hasContent("mine");
  }

  @Test
  void aCutOffArchiveIsRefusedAndLeavesTheDirectoryEmpty() throws Exception {
    Path data = work.resolve("data");
    try (TestServer server = TestServer.start(data)) {
      assertThat(server.createChannel("c", "public").statusCode()).isEqualTo(201);
      for (int i = 0; i < 3; i++) {
        assertThat(server.upload("c", "pkg-" + i + "-1.0-0.tar.bz2", write("pkg-" + i), "").statusCode())
            .isEqualTo(201);
      }
    }
    Path archive = work.resolve("b.tar");
    assertThat(CliRun.of("backup", "--data", data.toString(), "-o", archive.toString()).exit()).isZero();
    byte[] whole = Files.readAllBytes(archive);
    Path cut = work.resolve("cut.tar");
    Files.write(cut, java.util.Arrays.copyOf(whole, whole.length - 3 * 1024)); // the last blob and the end go
    Path target = work.resolve("target");

    CliRun run = CliRun.of("restore", cut.toString(), "--data", target.toString());

    assertThat(run.exit()).isNotZero();
    assertThat(run.errLines()).containsExactly("error: the backup holds 2 blobs, its manifest lists 3: it is cut off");
    try (var left = Files.list(target)) {
      assertThat(left).isEmpty();
    }
  }

  private void uploadUntil(TestServer server, int thread, AtomicBoolean stop, Set<String> attempted,
      Map<String, Instant> acknowledged) {
    for (int i = 0; !stop.get(); i++) {
      String name = "t" + thread + "-" + i;
      Path p = write(name);
      String filename = p.getFileName().toString();
      attempted.add(filename);
      HttpResponse<byte[]> res = server.upload("live", filename, p, "");
      if (res.statusCode() == 201) {
        acknowledged.put(filename, Instant.now());
      } else {
        throw new IllegalStateException(filename + ": HTTP " + res.statusCode());
      }
    }
  }

  /** A tiny noarch package {@code <name>-1.0-0.tar.bz2} under work/packages. */
  private Path write(String name) {
    try {
      Path dir = Files.createDirectories(work.resolve("packages"));
      String index = "{\"name\":\"" + name + "\",\"version\":\"1.0\",\"build\":\"0\",\"build_number\":0,"
          + "\"subdir\":\"noarch\",\"noarch\":\"generic\",\"depends\":[]}";
      Path p = dir.resolve(name + "-1.0-0.tar.bz2");
      PackageWriter.writeTarBz2(p, Map.of("info/index.json", index.getBytes(StandardCharsets.UTF_8),
          "payload.txt", ("bytes of " + name).repeat(200).getBytes(StandardCharsets.UTF_8)));
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void awaitAtLeast(Map<String, Instant> acknowledged, int n, long deadline) throws InterruptedException {
    while (acknowledged.size() < n) {
      assertThat(System.currentTimeMillis()).as("waiting for %d uploads", n).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static JsonNode manifest(Path archive) throws IOException {
    try (InputStream in = Files.newInputStream(archive); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      assertThat(tar.getNextEntry().getName()).isEqualTo("manifest.json");
      return new ObjectMapper().readTree(tar.readAllBytes());
    }
  }

  private static Set<String> filenames(Path dataDir) throws Exception {
    Set<String> names = new HashSet<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("wharf.db"));
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT filename FROM package_files")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }
}
