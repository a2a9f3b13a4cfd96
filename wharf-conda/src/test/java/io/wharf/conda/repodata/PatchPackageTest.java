package io.wharf.conda.repodata;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wharf.conda.archive.PackageWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PatchPackageTest {
  @TempDir Path dir;

  private static final byte[] INDEX = "{\"name\":\"p\",\"version\":\"1\",\"build\":\"0\"}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] LINUX = "{\"patch_instructions_version\":1}".getBytes(StandardCharsets.UTF_8);

  @Test
  void condaForgePackageYieldsEverySubdir() throws IOException {
    SortedMap<String, byte[]> read = PatchPackage.read(
        Fixtures.real("packages/conda-forge-repodata-patches-20180828-0.tar.bz2"), 64L << 20);
    assertEquals(List.of("linux-64", "linux-armv7l", "linux-ppc64le", "noarch", "osx-64", "win-32", "win-64"),
        List.copyOf(read.keySet()));
  }

  @Test
  void condaPackageIsReadFromItsPayloadAndOtherMembersAreIgnored() throws IOException {
    Path pkg = dir.resolve("p-1-0.conda");
    PackageWriter.writeConda(pkg, "p-1-0", Map.of("info/index.json", INDEX,
        "linux-64/patch_instructions.json", LINUX,
        "docs/linux-64/patch_instructions.json", LINUX,
        "atari-2600/patch_instructions.json", LINUX));
    SortedMap<String, byte[]> read = PatchPackage.read(pkg, 1024);
    assertEquals(List.of("linux-64"), List.copyOf(read.keySet()));
    assertArrayEquals(LINUX, read.get("linux-64"));
  }

  @Test
  void oversizedMemberAndPackageWithoutInstructionsAreRefused() throws IOException {
    Path big = dir.resolve("big-1-0.tar.bz2");
    PackageWriter.writeTarBz2(big, Map.of("info/index.json", INDEX, "noarch/patch_instructions.json", new byte[2048]));
    IOException tooBig = assertThrows(IOException.class, () -> PatchPackage.read(big, 1024));
    assertTrue(tooBig.getMessage().contains("1024"), tooBig.getMessage());
    Path none = dir.resolve("none-1-0.tar.bz2");
    PackageWriter.writeTarBz2(none, Map.of("info/index.json", INDEX));
    assertThrows(IOException.class, () -> PatchPackage.read(none, 1024));
  }
}
