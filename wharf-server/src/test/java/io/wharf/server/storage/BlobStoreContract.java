package io.wharf.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Behaviour every {@link BlobStore} must show; each implementation runs it through a subclass. */
public abstract class BlobStoreContract {

  @TempDir
  protected Path scratch;

  protected BlobStore store;

  private int sources;

  /** A new, empty store; called before every test. Files under {@link #scratch} may be used. */
  protected abstract BlobStore newStore() throws Exception;

  @BeforeEach
  void openStore() throws Exception {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  @Test
  void putAllStoresEveryFileOrByteArrayUnderItsKeyAndReplacesWhatWasThere() throws IOException {
    store.put("batch/b", source(bytes("old")));
    store.put("batch/c", source(bytes("old")));
    java.util.Map<String, BlobSource> puts = new java.util.LinkedHashMap<>();
    java.util.Map<String, byte[]> expected = new java.util.LinkedHashMap<>();
    for (int i = 0; i < 40; i++) {
      byte[] content = randomBytes(100 + i, i);
      String key = "batch/d" + (char) ('a' + i % 26) + "/" + i;
      puts.put(key, i % 2 == 0 ? BlobSource.of(source(content)) : BlobSource.of(content));
      expected.put(key, content);
    }
    puts.put("batch/b", BlobSource.of(source(bytes("new"))));
    expected.put("batch/b", bytes("new"));
    puts.put("batch/c", BlobSource.of(bytes("newer")));
    expected.put("batch/c", bytes("newer"));

    store.putAll(puts);

    for (java.util.Map.Entry<String, byte[]> e : expected.entrySet()) {
      assertThat(read(store.open(e.getKey()))).as(e.getKey()).isEqualTo(e.getValue());
    }
    assertThat(store.list("batch/")).hasSize(42);
  }

  @Test
  void putOfBytesIsReadBackWhole() throws IOException {
    byte[] content = randomBytes(200_000, 7);
    store.put("mem/blob", BlobSource.of(content));
    assertThat(read(store.open("mem/blob"))).isEqualTo(content);
    assertThat(store.size("mem/blob")).contains((long) content.length);
  }

  @Test
  void putAllWithAnInvalidKeyStoresNothing() throws IOException {
    java.util.Map<String, BlobSource> puts = new java.util.LinkedHashMap<>();
    puts.put("fine/key", BlobSource.of(source(bytes("x"))));
    puts.put("../escape", BlobSource.of(bytes("y")));
    assertThatThrownBy(() -> store.putAll(puts)).isInstanceOf(IllegalArgumentException.class);
    assertThat(store.size("fine/key")).isEmpty();
  }

  @Test
  void roundTripsAFewMegabytesOfRandomBytes() throws IOException {
    byte[] content = randomBytes(3 * 1024 * 1024 + 17, 1);

    store.put("linux-64/big-1.0-0.conda", source(content));

    assertThat(read(store.open("linux-64/big-1.0-0.conda"))).isEqualTo(content);
    assertThat(store.size("linux-64/big-1.0-0.conda")).contains((long) content.length);
  }

  @Test
  void readsRangesFromStartMiddleAndEnd() throws IOException {
    byte[] content = randomBytes(1024 * 1024 + 3, 2);
    store.put("pkgs/ranged.tar.bz2", source(content));
    int n = content.length;

    assertThat(read(store.openRange("pkgs/ranged.tar.bz2", 0, 10))).isEqualTo(Arrays.copyOfRange(content, 0, 10));
    assertThat(read(store.openRange("pkgs/ranged.tar.bz2", 500_000, 70_000)))
        .isEqualTo(Arrays.copyOfRange(content, 500_000, 570_000));
    assertThat(read(store.openRange("pkgs/ranged.tar.bz2", n - 1, 1))).containsExactly(content[n - 1]);
    assertThat(read(store.openRange("pkgs/ranged.tar.bz2", 0, n))).isEqualTo(content);
  }

  @Test
  void zeroLengthRangeIsEmptyAnywhereUpToTheEnd() throws IOException {
    store.put("a/b", source(bytes("hello")));

    assertThat(read(store.openRange("a/b", 0, 0))).isEmpty();
    assertThat(read(store.openRange("a/b", 3, 0))).isEmpty();
    assertThat(read(store.openRange("a/b", 5, 0))).isEmpty();
  }

  @Test
  void rangeReachingPastTheEndIsRefused() throws IOException {
    store.put("a/b", source(bytes("hello")));

    assertThatThrownBy(() -> store.openRange("a/b", 3, 3)).isInstanceOf(EOFException.class);
    assertThatThrownBy(() -> store.openRange("a/b", 5, 1)).isInstanceOf(EOFException.class);
    assertThatThrownBy(() -> store.openRange("a/b", 9, 0)).isInstanceOf(EOFException.class);
  }

  @Test
  void negativeRangeIsRejected() throws IOException {
    store.put("a/b", source(bytes("hello")));

    assertThatThrownBy(() -> store.openRange("a/b", -1, 2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.openRange("a/b", 0, -2)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sizeIsEmptyForAMissingKey() throws IOException {
    store.put("present", source(bytes("x")));

    assertThat(store.size("absent")).isEmpty();
    assertThat(store.size("present/below")).isEmpty();
    assertThat(store.size("present")).contains(1L);
  }

  @Test
  void emptyFileIsAnObjectOfSizeZero() throws IOException {
    store.put("empty", source(new byte[0]));

    assertThat(store.size("empty")).contains(0L);
    assertThat(read(store.open("empty"))).isEmpty();
    assertThat(store.list("")).containsExactly("empty");
  }

  @Test
  void putReplacesTheWholePreviousObject() throws IOException {
    store.put("k", source(randomBytes(200_000, 3)));

    store.put("k", source(bytes("short")));

    assertThat(read(store.open("k"))).isEqualTo(bytes("short"));
    assertThat(store.size("k")).contains(5L);
    assertThat(store.list("")).containsExactly("k");
  }

  @Test
  void deleteReportsWhetherSomethingWasDeletedAndIsIdempotent() throws IOException {
    store.put("dir/k", source(bytes("x")));

    assertThat(store.delete("dir/k")).isTrue();
    assertThat(store.delete("dir/k")).isFalse();
    assertThat(store.delete("never/there")).isFalse();
    assertThat(store.size("dir/k")).isEmpty();
    assertThat(store.list("")).isEmpty();
  }

  @Test
  void keyCanBeWrittenAgainAfterDelete() throws IOException {
    store.put("dir/sub/k", source(bytes("one")));
    store.delete("dir/sub/k");

    store.put("dir/sub/k", source(bytes("two")));

    assertThat(read(store.open("dir/sub/k"))).isEqualTo(bytes("two"));
  }

  @Test
  void listReturnsKeysUnderAPrefixSorted() throws IOException {
    for (String key : new String[] {
        "conda/main/noarch/zlib-1.0-0.conda", "conda/main/linux-64/b-1-0.conda", "conda/main/linux-64/a-1-0.conda",
        "conda/other/linux-64/a-1-0.conda", "conda/main-extra/x", "top"}) {
      store.put(key, source(bytes(key)));
    }

    assertThat(store.list("conda/main/")).containsExactly(
        "conda/main/linux-64/a-1-0.conda", "conda/main/linux-64/b-1-0.conda", "conda/main/noarch/zlib-1.0-0.conda");
    assertThat(store.list("conda/main/linux-64/a")).containsExactly("conda/main/linux-64/a-1-0.conda");
    assertThat(store.list("conda/main")).containsExactly(
        "conda/main-extra/x", "conda/main/linux-64/a-1-0.conda", "conda/main/linux-64/b-1-0.conda",
        "conda/main/noarch/zlib-1.0-0.conda");
    assertThat(store.list("")).hasSize(6).isSorted().contains("top");
    assertThat(store.list("nothing/here/")).isEmpty();
  }

  @Test
  void missingKeyCannotBeOpened() {
    assertThatThrownBy(() -> store.open("no/such-1.0-0.conda"))
        .isInstanceOf(BlobNotFoundException.class)
        .satisfies(e -> assertThat(((BlobNotFoundException) e).key()).isEqualTo("no/such-1.0-0.conda"));
    assertThatThrownBy(() -> store.openRange("no/such-1.0-0.conda", 0, 1)).isInstanceOf(BlobNotFoundException.class);
    assertThatThrownBy(() -> store.openRange("no/such-1.0-0.conda", 0, 0)).isInstanceOf(BlobNotFoundException.class);
  }

  @Test
  void directoryLikePrefixOfAKeyIsNotAnObject() throws IOException {
    store.put("dir/k", source(bytes("x")));

    assertThat(store.size("dir")).isEmpty();
    assertThatThrownBy(() -> store.open("dir")).isInstanceOf(BlobNotFoundException.class);
    assertThat(store.delete("dir")).isFalse();
    assertThat(store.list("")).containsExactly("dir/k");
  }

  @Test
  void keysWithEveryAllowedCharacterRoundTrip() throws IOException {
    String key = "Linux-64/_foo.bar+local-1.0_post2-py311h0_0.conda";

    store.put(key, source(bytes("ok")));

    assertThat(read(store.open(key))).isEqualTo(bytes("ok"));
    assertThat(store.list("Linux-64/")).containsExactly(key);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/abs", "a//b", "a/", "../x", "a/../b", "a/./b", ".", "..", "a\\b", "a b", "a\nb",
      "caf\u00e9", "a%2Fb", "a:b", "a?b", "a*b", "~/x", ".tmp/x", ".tmp"})
  void invalidKeysAreRejectedBeforeAnythingIsStored(String key) throws IOException {
    Path file = source(bytes("x"));

    assertThatThrownBy(() -> store.put(key, file)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.open(key)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.openRange(key, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.size(key)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.delete(key)).isInstanceOf(IllegalArgumentException.class);
    assertThat(store.list("")).isEmpty();
  }

  @Test
  void overlongKeyIsRejected() throws IOException {
    String key = "a/".repeat(512) + "b";
    assertThat(key).hasSizeGreaterThan(BlobKeys.MAX_LENGTH);

    assertThatThrownBy(() -> store.put(key, source(bytes("x")))).isInstanceOf(IllegalArgumentException.class);
    assertThat(store.list("")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "../", "a/../", "a//", "/etc", "a b"})
  void invalidListPrefixesAreRejected(String prefix) {
    assertThatThrownBy(() -> store.list(prefix)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void putFromAMissingSourceFailsAndLeavesNothing() throws IOException {
    Path missing = scratch.resolve("does-not-exist.conda");

    assertThatThrownBy(() -> store.put("pkgs/x-1-0.conda", missing)).isInstanceOf(IOException.class);

    assertThat(store.size("pkgs/x-1-0.conda")).isEmpty();
    assertThat(store.list("")).isEmpty();
  }

  @Test
  void putFromADirectoryFailsAndLeavesNothing() throws IOException {
    Path dir = Files.createDirectory(scratch.resolve("a-directory"));

    assertThatThrownBy(() -> store.put("pkgs/x-1-0.conda", dir)).isInstanceOf(IOException.class);

    assertThat(store.size("pkgs/x-1-0.conda")).isEmpty();
    assertThat(store.list("")).isEmpty();
  }

  @Test
  void failedPutKeepsThePreviousObject() throws IOException {
    byte[] original = randomBytes(70_000, 4);
    store.put("pkgs/x-1-0.conda", source(original));

    assertThatThrownBy(() -> store.put("pkgs/x-1-0.conda", scratch.resolve("gone"))).isInstanceOf(IOException.class);

    assertThat(read(store.open("pkgs/x-1-0.conda"))).isEqualTo(original);
    assertThat(store.list("")).containsExactly("pkgs/x-1-0.conda");
  }

  @Test
  void laterChangesToTheSourceFileDoNotReachTheBlob() throws IOException {
    Path file = source(bytes("first"));
    store.put("k", file);

    Files.write(file, bytes("second, longer"));

    assertThat(read(store.open("k"))).isEqualTo(bytes("first"));
  }

  @Test
  void healthyStorePassesItsReadinessCheck() throws IOException {
    // Each store's own test shows the check failing when its backend is gone.
    assertThatCode(store::check).as("empty store").doesNotThrowAnyException();
    store.put("k", source(bytes("x")));
    assertThatCode(store::check).as("store holding a blob").doesNotThrowAnyException();
  }

  protected Path source(byte[] content) throws IOException {
    Path dir = Files.createDirectories(scratch.resolve("sources"));
    return Files.write(dir.resolve("source-" + (sources++)), content);
  }

  protected static byte[] read(InputStream in) throws IOException {
    try (in) {
      return in.readAllBytes();
    }
  }

  protected static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  protected static byte[] randomBytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }
}
