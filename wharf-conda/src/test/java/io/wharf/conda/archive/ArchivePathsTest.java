package io.wharf.conda.archive;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArchivePathsTest {
  @ParameterizedTest
  @ValueSource(strings = {"info/..a/x", "...", "a/.../b", "..x", "x..", "info/index.json", "a\\.b", "./bin/x", "."})
  void acceptsNamesWhoseDotsAreNoParentSegment(String name) throws Exception {
    assertThat(ArchivePaths.checked(name, "the package")).isEqualTo(name.startsWith("./") ? name.substring(2) : name);
  }
}
