package io.wharf.server.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The fixtures directory of the repository (real packages and repodata; see fixtures/real/PROVENANCE.md). */
public final class Fixtures {
  private Fixtures() {}

  public static Path root() {
    Path p = Path.of(System.getProperty("wharf.fixtures", "../fixtures"));
    if (!Files.isDirectory(p)) {
      throw new IllegalStateException("fixtures not found at " + p.toAbsolutePath()
          + "; set -Dwharf.fixtures=<dir>");
    }
    return p;
  }

  public static Path realPackage(String filename) {
    return root().resolve("real/packages").resolve(filename);
  }

  public static Path corruptPackage(String filename) {
    return root().resolve("real/packages-corrupt").resolve(filename);
  }
}
