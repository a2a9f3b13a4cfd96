package io.wharf.server.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.server.storage.BlobNotFoundException;
import io.wharf.server.storage.BlobStore;
import io.wharf.server.storage.BlobStoreContract;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class FileSystemBlobStoreTest extends BlobStoreContract {

  private Path root;

  @Override
  protected BlobStore newStore() throws IOException {
    root = scratch.resolve("store");
    return new FileSystemBlobStore(root);
  }

  @Test
  void blobIsAPlainFileAtItsKey() throws IOException {
    store.put("conda/main/noarch/a-1-0.conda", source(bytes("abc")));

    assertThat(root.resolve("conda/main/noarch/a-1-0.conda")).hasContent("abc");
  }

  @Test
  void successfulPutLeavesNoTemporaryFile() throws IOException {
    store.put("k", source(randomBytes(100_000, 7)));

    assertThat(temporaryFiles()).isEmpty();
  }

  @Test
  void putThatCannotBeMovedIntoPlaceLeavesNoTemporaryFile() throws IOException {
    // "a" is already a directory holding "a/b", so a blob cannot be renamed onto it
    store.put("a/b", source(bytes("inner")));

    assertThatThrownBy(() -> store.put("a", source(bytes("outer")))).isInstanceOf(IOException.class);

    assertThat(temporaryFiles()).isEmpty();
    assertThat(store.list("")).containsExactly("a/b");
    assertThat(read(store.open("a/b"))).isEqualTo(bytes("inner"));
  }

  @Test
  void readerThatOpenedBeforeAnOverwriteFinishesWithTheOldBytes() throws IOException {
    byte[] old = randomBytes(300_000, 8);
    store.put("k", source(old));

    try (InputStream in = store.open("k")) {
      byte[] head = in.readNBytes(1000);
      store.put("k", source(bytes("new")));
      byte[] rest = in.readAllBytes();

      byte[] whole = new byte[head.length + rest.length];
      System.arraycopy(head, 0, whole, 0, head.length);
      System.arraycopy(rest, 0, whole, head.length, rest.length);
      assertThat(whole).isEqualTo(old);
    }
    assertThat(read(store.open("k"))).isEqualTo(bytes("new"));
  }

  @Test
  void concurrentReadersOnlyEverSeeACompleteVersion() throws Exception {
    byte[] a = randomBytes(400_000, 9);
    byte[] b = randomBytes(250_000, 10);
    Path sourceA = source(a);
    Path sourceB = source(b);
    store.put("k", sourceA);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?> writer = pool.submit(() -> {
        for (int i = 0; i < 40; i++) {
          store.put("k", i % 2 == 0 ? sourceB : sourceA);
        }
        return null;
      });
      Future<List<byte[]>> reader = pool.submit(() -> {
        List<byte[]> seen = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
          seen.add(read(store.open("k")));
        }
        return seen;
      });
      writer.get();
      for (byte[] seen : reader.get()) {
        assertThat(Arrays.equals(seen, a) || Arrays.equals(seen, b)).as("read a complete version").isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void uploadsInProgressAreNotListed() throws IOException {
    store.put("k", source(bytes("x")));
    Files.write(root.resolve(".tmp/put-123.part"), bytes("half an upload"));

    assertThat(store.list("")).containsExactly("k");
    assertThat(store.list(".")).isEmpty();
  }

  @Test
  void deleteRemovesDirectoriesItLeftEmpty() throws IOException {
    store.put("a/b/c/k", source(bytes("x")));
    store.put("a/other", source(bytes("y")));

    store.delete("a/b/c/k");

    assertThat(root.resolve("a/b")).doesNotExist();
    assertThat(root.resolve("a/other")).exists();
  }

  @Test
  void symbolicLinksInsideTheRootAreNotFollowed() throws IOException {
    Path outside = Files.write(scratch.resolve("secret.txt"), bytes("outside the store"));
    Files.createSymbolicLink(root.resolve("link"), outside);
    Files.createDirectories(root.resolve("d"));
    Files.createSymbolicLink(root.resolve("d/dirlink"), scratch);

    assertThatThrownBy(() -> store.open("link")).isInstanceOf(BlobNotFoundException.class);
    assertThatThrownBy(() -> store.openRange("link", 0, 1)).isInstanceOf(BlobNotFoundException.class);
    assertThat(store.size("link")).isEmpty();
    assertThat(store.list("")).isEmpty();
    assertThat(store.delete("link")).isFalse();
    assertThat(outside).hasContent("outside the store");
  }

  @Test
  void staleTemporaryFilesAreRemovedOnStartButFreshOnesAreKept() throws IOException {
    Path stale = Files.write(root.resolve(".tmp/put-old.part"), bytes("crashed upload"));
    Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(FileSystemBlobStore.STALE_TEMP_AGE).minusSeconds(60)));
    Path fresh = Files.write(root.resolve(".tmp/put-new.part"), bytes("upload in progress"));

    new FileSystemBlobStore(root).close();

    assertThat(stale).doesNotExist();
    assertThat(fresh).exists();
  }

  @Test
  void checkFailsWhenTheDirectoryIsGone() throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }

    assertThatThrownBy(() -> store.check()).isInstanceOf(IOException.class);
  }

  @Test
  void keyWhoseParentIsABlobIsAbsent() throws IOException {
    store.put("file", source(bytes("x")));

    assertThat(store.size("file/child")).isEmpty();
    assertThatThrownBy(() -> store.open("file/child")).isInstanceOf(BlobNotFoundException.class);
    assertThat(store.list("file/")).isEmpty();
  }

  /** Files under .tmp other than the lock each open store holds there. */
  private List<Path> temporaryFiles() throws IOException {
    try (Stream<Path> files = Files.walk(root.resolve(".tmp"))) {
      return files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals(TempArea.LOCK))
          .toList();
    }
  }
}
