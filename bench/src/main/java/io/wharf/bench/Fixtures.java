package io.wharf.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the fixtures directory: real package files and repodata, the repository's {@code fixtures/}
 * unless {@code -Dwharf.fixtures} names another; the default suits a run from the repository root. JMH
 * passes the launching JVM's -D options on to its forks.
 */
final class Fixtures {
  static final String PROPERTY = "wharf.fixtures";
  static final String DEFAULT = "fixtures";

  private Fixtures() {}

  static Path root() {
    Path root = Path.of(System.getProperty(PROPERTY, DEFAULT)).toAbsolutePath().normalize();
    if (!Files.isDirectory(root.resolve("real"))) {
      throw new IllegalStateException("fixtures not found at " + root + "; pass -D" + PROPERTY
          + "=<dir containing real/> (default " + DEFAULT + ", relative to the working directory)");
    }
    return root;
  }

  static Path file(String relative) {
    Path file = root().resolve(relative);
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("missing fixture " + file);
    }
    return file;
  }
}
