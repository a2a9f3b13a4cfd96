package io.wharf.conda.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wharf.conda.metadata.IndexJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Hostile archives: whatever the bytes, the readers either return package metadata or refuse with an
 * {@link InvalidPackageException}; no other exception, no unbounded read. Under {@code mvn test} each
 * target replays its inputs in {@code src/test/resources/.../ArchiveFuzzTestInputs} (small valid
 * packages as seeds, and any input that once failed); {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class ArchiveFuzzTest {
  /** Small, so that a fuzzer finds the bounds quickly; the real defaults are far larger. */
  private static final ReadLimits LIMITS = new ReadLimits(1 << 16, 1 << 18, 1_000, 1 << 22);

  /** The refusal codes {@link InvalidPackageException} documents for API clients: a new one must be added here. */
  private static final Set<String> CODES = Set.of("corrupt_archive", "empty_file", "invalid_about_json",
      "invalid_index_json", "invalid_paths_json", "invalid_run_exports_json", "missing_index_json",
      "not_a_conda_package", "too_large", "too_costly", "cancelled", "unsafe_path");

  /** The info/ files a reader keeps (index, about, paths, run_exports, link and the recipe); nothing else. */
  private static final Set<String> KEPT = Set.of("info/index.json", "info/about.json", "info/paths.json",
      "info/run_exports.json", "info/link.json", "info/recipe/meta.yaml", "info/recipe/meta.yaml.rendered",
      "info/meta.yaml");

  @FuzzTest(maxDuration = "60s")
  void condaBytesAreReadOrRefused(byte[] data) throws Exception {
    readOrRefuse(data, true);
  }

  @FuzzTest(maxDuration = "60s")
  void tarBz2BytesAreReadOrRefused(byte[] data) throws Exception {
    readOrRefuse(data, false);
  }

  /**
   * Well-formed containers around fuzzed content: entry names (traversal, absolute paths, odd
   * characters), entry kinds (links) and the text of the info/ JSON files, so that the fuzzer spends
   * its time past the container formats.
   */
  @FuzzTest(maxDuration = "60s")
  void fuzzedContentInValidContainersIsReadOrRefused(FuzzedDataProvider in) throws Exception {
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
    byte[] index = in.consumeRemainingAsString().getBytes(StandardCharsets.UTF_8);
    entries.add(PackageWriter.Entry.file("info/index.json", index));
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
      // Another regular file of that name is refused as a duplicate, so what is read is the last entry.
      readOrRefuse(file, conda).ifPresent(info ->
          assertThat(info.rawInfoFile("info/index.json").orElseThrow()).isEqualTo(index));
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static void readOrRefuse(byte[] data, boolean conda) throws Exception {
    Path file = Files.createTempFile("fuzz-", conda ? ".conda" : ".tar.bz2");
    try {
      Files.write(file, data);
      readOrRefuse(file, conda);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static Optional<PackageInfo> readOrRefuse(Path file, boolean conda) throws Exception {
    PackageInfo info;
    try {
      info = PackageArchives.readInfo(file, conda ? "a-1.0-0.conda" : "a-1.0-0.tar.bz2", LIMITS);
    } catch (InvalidPackageException e) {
      assertThat(e.code()).isIn(CODES);
      assertThat(e.getMessage()).isNotBlank();
      return Optional.empty();
    }
    // What was parsed is the archive's own info/index.json, and each optional part is there exactly
    // when its file is.
    byte[] index = info.rawInfoFile("info/index.json").orElseThrow();
    assertThat(info.index().raw()).isEqualTo(IndexJson.parse(index).raw());
    assertThat(info.index().name()).isNotBlank();
    assertThat(info.about().isPresent()).isEqualTo(info.rawInfoFiles().containsKey("info/about.json"));
    assertThat(info.paths().isPresent()).isEqualTo(info.rawInfoFiles().containsKey("info/paths.json"));
    assertThat(info.runExports().isPresent()).isEqualTo(info.rawInfoFiles().containsKey("info/run_exports.json"));
    // Only the wanted files were kept, each and all of them within the limits.
    assertThat(info.rawInfoFiles().keySet()).isSubsetOf(KEPT);
    long total = 0;
    for (byte[] bytes : info.rawInfoFiles().values()) {
      assertThat((long) bytes.length).isLessThanOrEqualTo(LIMITS.maxInfoFileBytes());
      total += bytes.length;
    }
    assertThat(total).isLessThanOrEqualTo(LIMITS.maxTotalInfoBytes());
    return Optional.of(info);
  }
}
