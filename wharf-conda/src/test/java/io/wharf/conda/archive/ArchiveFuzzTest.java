package io.wharf.conda.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Hostile archives: whatever the bytes, the readers either return package metadata or refuse with an
 * {@link InvalidPackageException}; no other exception, no unbounded read. Under {@code mvn test} each
 * target replays its inputs in {@code src/test/resources/.../ArchiveFuzzTestInputs} (small valid
 * packages as seeds, and any input that once failed); {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class ArchiveFuzzTest {
  /** Small, so that a fuzzer finds the bounds quickly; the real defaults are far larger. */
  private static final ReadLimits LIMITS = new ReadLimits(1 << 16, 1 << 18, 1_000, 1 << 22);

  @FuzzTest(maxDuration = "60s")
  void condaBytesAreReadOrRefused(byte[] data) throws IOException {
    readOrRefuse(data, true);
  }

  @FuzzTest(maxDuration = "60s")
  void tarBz2BytesAreReadOrRefused(byte[] data) throws IOException {
    readOrRefuse(data, false);
  }

  /**
   * Well-formed containers around fuzzed content: entry names (traversal, absolute paths, odd
   * characters), entry kinds (links) and the text of the info/ JSON files, so that the fuzzer spends
   * its time past the container formats.
   */
  @FuzzTest(maxDuration = "60s")
  void fuzzedContentInValidContainersIsReadOrRefused(FuzzedDataProvider in) throws IOException {
    boolean conda = in.consumeBoolean();
    List<PackageWriter.Entry> entries = new ArrayList<>();
    int count = in.consumeInt(0, 6);
    for (int i = 0; i < count; i++) {
      String path = in.pickValue(new String[] {"info/index.json", "info/about.json", "info/paths.json",
          "info/run_exports.json", "info/files", "lib/x"});
      if (in.consumeBoolean()) {
        path = in.consumeString(40);
      }
      switch (in.consumeInt(0, 3)) {
        case 0 -> entries.add(PackageWriter.Entry.symlink(path, in.consumeString(20)));
        case 1 -> entries.add(PackageWriter.Entry.hardlink(path, in.consumeString(20)));
        case 2 -> entries.add(PackageWriter.Entry.directory(path));
        default -> entries.add(PackageWriter.Entry.file(path, in.consumeString(400).getBytes(StandardCharsets.UTF_8)));
      }
    }
    entries.add(PackageWriter.Entry.file("info/index.json",
        in.consumeRemainingAsString().getBytes(StandardCharsets.UTF_8)));
    Path file = Files.createTempFile("fuzz-", conda ? ".conda" : ".tar.bz2");
    try {
      try {
        if (conda) {
          PackageWriter.writeConda(file, "a-1.0-0", entries);
        } else {
          PackageWriter.writeTarBz2(file, entries);
        }
      } catch (IOException | IllegalArgumentException e) {
        return; // not writable as an archive at all (e.g. a name the tar format cannot hold)
      }
      readOrRefuse(file, conda);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static void readOrRefuse(byte[] data, boolean conda) throws IOException {
    Path file = Files.createTempFile("fuzz-", conda ? ".conda" : ".tar.bz2");
    try {
      Files.write(file, data);
      readOrRefuse(file, conda);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static void readOrRefuse(Path file, boolean conda) throws IOException {
    try {
      PackageInfo info = PackageArchives.readInfo(file, conda ? "a-1.0-0.conda" : "a-1.0-0.tar.bz2", LIMITS);
      assertThat(info.index()).isNotNull();
      assertThat(info.index().name()).isNotBlank();
    } catch (InvalidPackageException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }
}
