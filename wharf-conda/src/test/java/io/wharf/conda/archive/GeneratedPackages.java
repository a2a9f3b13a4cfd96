package io.wharf.conda.archive;

import static io.wharf.conda.archive.PackageWriter.Entry.file;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.wharf.conda.archive.PackageWriter.Entry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** Builds small packages in a temporary folder and reads them back. */
abstract class GeneratedPackages {
  static final String INDEX =
      "{\"name\": \"demo\", \"version\": \"1.0\", \"build\": \"h0_0\", \"build_number\": 0,"
          + " \"depends\": [], \"subdir\": \"linux-64\"}";
  static final String PATHS = "{\"paths\": [], \"paths_version\": 1}";

  @TempDir Path dir;

  static List<Entry> validInfo() {
    return new ArrayList<>(List.of(file("info/index.json", INDEX), file("info/paths.json", PATHS)));
  }

  Path tarBz2(List<Entry> entries) throws IOException {
    Path file = dir.resolve("demo-1.0-h0_0.tar.bz2");
    PackageWriter.writeTarBz2(file, entries);
    return file;
  }

  Path conda(List<Entry> entries) throws IOException {
    Path file = dir.resolve("demo-1.0-h0_0.conda");
    PackageWriter.writeConda(file, "demo-1.0-h0_0", entries);
    return file;
  }

  static PackageInfo read(Path file, ReadLimits limits) throws Exception {
    return PackageArchives.readInfo(file, file.getFileName().toString(), limits);
  }

  static InvalidPackageException reject(Path file, ReadLimits limits) {
    InvalidPackageException e =
        catchThrowableOfType(InvalidPackageException.class, () -> read(file, limits));
    assertThat(e).as("expected %s to be rejected", file.getFileName()).isNotNull();
    assertThat(e.getMessage()).isNotBlank();
    return e;
  }

  static InvalidPackageException reject(Path file) {
    return reject(file, ReadLimits.defaults());
  }
}
