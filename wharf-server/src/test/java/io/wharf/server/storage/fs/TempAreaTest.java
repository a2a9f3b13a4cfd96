package io.wharf.server.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Half-copied blobs of a process that was killed are removed when the next store opens, while those of
 * a process that is still running (another node on the same directory) are kept.
 */
class TempAreaTest {
  @TempDir Path dir;
  private Path root;

  @BeforeEach
  void paths() {
    root = dir.resolve("store");
  }

  @Test
  void theNextStoreRemovesWhatAKilledProcessLeftButKeepsWhatALiveOneWrites() throws Exception {
    Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), HoldsAStoreOpen.class.getName(), root.toString())
        .redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).as("the other process wrote its half-copied blob").isEqualTo("ready");
      assertThat(partFiles()).hasSize(1);

      new FileSystemBlobStore(root).close();
      assertThat(partFiles()).as("a live process keeps its files").hasSize(1);

      other.destroyForcibly(); // SIGKILL: no chance to clean up
      assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(partFiles()).as("the kill left the file").hasSize(1);

      new FileSystemBlobStore(root).close();
      assertThat(partFiles()).as("gone once the next store opens").isEmpty();
      try (Stream<Path> left = Files.list(root.resolve(".tmp"))) {
        assertThat(left).as("nor any directory of the dead process").isEmpty();
      }
    } finally {
      other.destroyForcibly();
    }
  }

  @Test
  void aStoreClosedCleanlyLeavesNothingInTheTemporaryDirectory() throws IOException {
    FileSystemBlobStore store = new FileSystemBlobStore(root);
    Path source = Files.writeString(dir.resolve("source"), "abc");
    store.put("k", source);
    store.check();
    store.close();
    try (Stream<Path> left = Files.list(root.resolve(".tmp"))) {
      assertThat(left).isEmpty();
    }
  }

  private List<Path> partFiles() throws IOException {
    try (Stream<Path> files = Files.walk(root.resolve(".tmp"))) {
      return files.filter(p -> p.getFileName().toString().endsWith(".part")).toList();
    }
  }

  /** Another node: opens a store's area, leaves a half-copied blob in it, and waits to be killed. */
  public static final class HoldsAStoreOpen {
    public static void main(String[] args) throws Exception {
      TempArea area = TempArea.open(Path.of(args[0]).resolve(".tmp"));
      Files.writeString(area.newFile("put-", ".part"), "half a blob");
      System.out.println("ready");
      System.out.flush();
      Thread.sleep(TimeUnit.MINUTES.toMillis(5)); // bounded: killed by the test long before
      area.close();
    }
  }
}
