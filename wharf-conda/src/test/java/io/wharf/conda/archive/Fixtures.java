package io.wharf.conda.archive;

import java.nio.file.Path;

final class Fixtures {
  private Fixtures() {}

  static Path root() {
    return Path.of(System.getProperty("wharf.fixtures", "../fixtures"));
  }

  static Path realPackage(String fileName) {
    return root().resolve("real/packages").resolve(fileName);
  }

  static Path corruptPackage(String fileName) {
    return root().resolve("real/packages-corrupt").resolve(fileName);
  }
}
