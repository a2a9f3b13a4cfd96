package io.wharf.conda.archive;

import static io.wharf.conda.archive.GeneratedPackages.validInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SHA-1 of each file a package installs, read from the whole payload within the read limits. */
class PayloadDigestsTest {
  private static final long MIB = 1L << 20;
  @TempDir Path dir;

  @Test
  void bothFormatsOfZlibGiveTheSameDigestsOfTheirRegularFiles() throws Exception {
    String conda = "zlib-1.2.11-h7b6447c_3.conda";
    String bz2 = "zlib-1.2.11-h7b6447c_3.tar.bz2";
    Map<String, PayloadDigests.FileDigest> fromConda =
        PayloadDigests.sha1(Fixtures.realPackage(conda), conda, ReadLimits.defaults());
    Map<String, PayloadDigests.FileDigest> fromBz2 =
        PayloadDigests.sha1(Fixtures.realPackage(bz2), bz2, ReadLimits.defaults());
    // sha1sum and size of the member, extracted by GNU tar
    assertThat(fromBz2).containsEntry("include/zlib.h",
        new PayloadDigests.FileDigest("473b29ab06e2be461fe4aa74952fcb9bd08d9fa0", 96239));
    assertThat(fromBz2).containsKeys("include/zconf.h", "lib/libz.a", "lib/libz.so.1.2.11", "lib/pkgconfig/zlib.pc")
        .allSatisfy((path, digest) -> assertThat(path).doesNotStartWith("info/"));
    // The .conda holds libz.so and libz.so.1 as symbolic links, which have no content to hash; the
    // .tar.bz2 holds them as empty entries. Every file both hold as content has the same digest.
    assertThat(fromConda).doesNotContainKeys("lib/libz.so", "lib/libz.so.1");
    fromConda.forEach((path, digest) -> assertThat(fromBz2.get(path)).as(path).isEqualTo(digest));
  }

  @Test
  void aPayloadThatExpandsBeyondTheAllowanceIsRefused() throws Exception {
    Path bomb = dir.resolve("bomb-1.0-0.tar.bz2");
    PackageWriter.writeTarBz2WithZeros(bomb, validInfo(), "lib/zeros.bin", 300 * MIB, List.of());
    assertThatThrownBy(() -> PayloadDigests.sha1(bomb, "bomb-1.0-0.tar.bz2", ReadLimits.defaults()))
        .isInstanceOfSatisfying(InvalidPackageException.class, e -> assertThat(e.code()).isEqualTo("too_large"));
  }

  @Test
  void bytesThatAreNoPackageAreRefusedAsDamaged() throws Exception {
    Path bad = Fixtures.corruptPackage("bad_package.tar.bz2");
    assertThatThrownBy(() -> PayloadDigests.sha1(bad, "bad_package-1-0.tar.bz2", ReadLimits.defaults()))
        .isInstanceOf(InvalidPackageException.class);
  }
}
