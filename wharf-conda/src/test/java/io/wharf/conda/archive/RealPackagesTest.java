package io.wharf.conda.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.wharf.conda.metadata.IndexJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RealPackagesTest {

  private static PackageInfo read(String fileName) throws Exception {
    return PackageArchives.readInfo(Fixtures.realPackage(fileName), fileName, ReadLimits.defaults());
  }

  @ParameterizedTest
  @CsvSource({
    "zlib-1.2.11-h7b6447c_3.conda, zlib, 1.2.11, h7b6447c_3, 3, linux-64",
    "zlib-1.2.11-h7b6447c_3.tar.bz2, zlib, 1.2.11, h7b6447c_3, 3, linux-64",
    "conda-index-pkg-a-1.0-py27h5e241af_0.conda, conda-index-pkg-a, 1.0, py27h5e241af_0, 0, osx-64",
    "conda-index-pkg-a-1.0-py27h5e241af_0.tar.bz2, conda-index-pkg-a, 1.0, py27h5e241af_0, 0, osx-64",
    "conda-index-pkg-a-1.0-pyhed9eced_1.tar.bz2, conda-index-pkg-a, 1.0, pyhed9eced_1, 1, noarch",
    "run_exports_versions-1.0-he35c369_0.tar.bz2, run_exports_versions, 1.0, he35c369_0, 0, noarch",
    "spiffy-test-app-0.5-pyh6afbcc8_0.tar.bz2, spiffy-test-app, 0.5, pyh6afbcc8_0, 0, noarch",
    "conda-forge-repodata-patches-20180828-0.tar.bz2, conda-forge-repodata-patches, 20180828, 0, 0, noarch",
    "xtensor-io-0.10.3-hb585cf6_0.tar.bz2, xtensor-io, 0.10.3, hb585cf6_0, 0, linux-64",
    "other-package-0.2-0.conda, other-package, 0.2, 0, 0, linux-64",
  })
  void readsIdentityOfEveryRealPackage(
      String fileName, String name, String version, String build, long buildNumber, String subdir)
      throws Exception {
    PackageInfo info = read(fileName);

    assertThat(info.index().name()).isEqualTo(name);
    assertThat(info.index().version()).isEqualTo(version);
    assertThat(info.index().build()).isEqualTo(build);
    assertThat(info.index().buildNumber()).isEqualTo(buildNumber);
    assertThat(info.index().subdir()).contains(subdir);
    assertThat(fileName).isEqualTo(name + "-" + version + "-" + build + (fileName.endsWith(".conda") ? ".conda" : ".tar.bz2"));
    assertThat(info.rawInfoFiles()).containsKey("info/index.json");
    assertThat(IndexJson.parse(info.rawInfoFiles().get("info/index.json")).raw())
        .isEqualTo(info.index().raw());
  }

  @ParameterizedTest
  @CsvSource({
    "zlib-1.2.11-h7b6447c_3.conda",
    "zlib-1.2.11-h7b6447c_3.tar.bz2",
    "conda-index-pkg-a-1.0-pyhed9eced_1.tar.bz2",
    "xtensor-io-0.10.3-hb585cf6_0.tar.bz2",
  })
  void readingThePackagesBytesInMemoryGivesWhatReadingTheFileGives(String fileName) throws Exception {
    PackageInfo fromFile = read(fileName);
    byte[] bytes = java.nio.file.Files.readAllBytes(Fixtures.realPackage(fileName));

    PackageInfo fromBytes = PackageArchives.readInfo(bytes, fileName, ReadLimits.defaults());

    assertThat(fromBytes.rawInfoFiles().keySet()).isEqualTo(fromFile.rawInfoFiles().keySet());
    fromFile.rawInfoFiles().forEach((k, v) -> assertThat(fromBytes.rawInfoFiles().get(k)).as(k).isEqualTo(v));
    assertThat(fromBytes.index().raw()).isEqualTo(fromFile.index().raw());
  }

  @Test
  void corruptBytesInMemoryAreRefusedAsTheFileIs() throws Exception {
    byte[] bytes = java.nio.file.Files.readAllBytes(Fixtures.corruptPackage("bad_package.tar.bz2"));

    InvalidPackageException e = catchThrowableOfType(
        () -> PackageArchives.readInfo(bytes, "bad-1.0-0.tar.bz2", ReadLimits.defaults()),
        InvalidPackageException.class);

    assertThat(e.code()).isEqualTo("not_a_conda_package");
  }

  @Test
  void zlibCarriesItsRunExportsAndMillisecondTimestamp() throws Exception {
    PackageInfo info = read("zlib-1.2.11-h7b6447c_3.conda");

    assertThat(info.runExports()).isPresent();
    assertThat(info.runExports().get().weak()).containsExactly("zlib >=1.2.11,<1.3.0a0");
    assertThat(info.runExports().get().toJson().toString())
        .isEqualTo("{\"weak\":[\"zlib >=1.2.11,<1.3.0a0\"]}");
    assertThat(info.index().timestamp()).hasValue(1542814864621L);
    assertThat(IndexJson.toSeconds(info.index().timestamp().getAsLong())).isEqualTo(1542814864L);
    assertThat(info.index().depends()).containsExactly("libgcc-ng >=7.3.0");
    assertThat(info.index().license()).contains("zlib");
    assertThat(info.index().licenseFamily()).contains("Other");
    assertThat(info.index().platform()).contains("linux");
    assertThat(info.index().arch()).contains("x86_64");
    assertThat(info.paths()).hasValueSatisfying(p -> {
      assertThat(p.flags().textPrefix()).isTrue();
      assertThat(p.flags().binaryPrefix()).isFalse();
      assertThat(p.fileCount()).isEqualTo(7);
    });
    assertThat(new String(info.rawInfoFiles().get("info/recipe/meta.yaml"), StandardCharsets.UTF_8))
        .contains("zlib");
  }

  @Test
  void condaAndTarBz2TwinsYieldTheSameMetadata() throws Exception {
    PackageInfo conda = read("zlib-1.2.11-h7b6447c_3.conda");
    PackageInfo tarBz2 = read("zlib-1.2.11-h7b6447c_3.tar.bz2");

    assertThat(conda.index().raw()).isEqualTo(tarBz2.index().raw());
    assertThat(conda.runExports()).isEqualTo(tarBz2.runExports());
    assertThat(conda.rawInfoFiles().keySet()).isEqualTo(tarBz2.rawInfoFiles().keySet());
  }

  @Test
  void spiffyTestAppHasNoTimestampAndNoLicense() throws Exception {
    PackageInfo info = read("spiffy-test-app-0.5-pyh6afbcc8_0.tar.bz2");

    assertThat(info.index().timestamp()).isEmpty();
    assertThat(info.index().license()).isEmpty();
    assertThat(info.index().noarch()).contains("python");
    assertThat(info.index().platform()).isEmpty();
    assertThat(info.rawInfoFiles()).doesNotContainKey("info/.DS_Store");
  }

  @Test
  void noarchPythonBuildDeclaresAPostLinkScript() throws Exception {
    PackageInfo info = read("conda-index-pkg-a-1.0-pyhed9eced_1.tar.bz2");

    assertThat(info.index().noarch()).contains("python");
    assertThat(info.paths()).hasValueSatisfying(p -> {
      assertThat(p.flags().postLink()).isTrue();
      assertThat(p.flags().preLink()).isFalse();
      assertThat(p.flags().preUnlink()).isFalse();
      assertThat(p.fileCount()).isEqualTo(8);
    });
    assertThat(info.rawInfoFiles()).containsKey("info/link.json");
  }

  @Test
  void archSpecificBuildKeepsItsPostLinkScriptInBin() throws Exception {
    PackageInfo info = read("conda-index-pkg-a-1.0-py27h5e241af_0.conda");

    assertThat(info.index().noarch()).isEmpty();
    assertThat(info.index().depends()).containsExactly("python >=2.7,<2.8.0a0");
    assertThat(info.paths()).hasValueSatisfying(p -> {
      assertThat(p.flags().postLink()).isTrue();
      assertThat(p.flags().textPrefix()).isTrue();
      assertThat(p.fileCount()).isEqualTo(11);
    });
  }

  @Test
  void readsConformingRunExportsOfAGenericNoarchPackage() throws Exception {
    PackageInfo info = read("run_exports_versions-1.0-he35c369_0.tar.bz2");

    assertThat(info.index().noarch()).contains("generic");
    assertThat(info.runExports()).hasValueSatisfying(r ->
        assertThat(r.weak()).containsExactly("run_exports_version 1.0"));
  }

  @Test
  void readsCondaForgeBuildWithLicenseAndPinnedDepends() throws Exception {
    PackageInfo info = read("xtensor-io-0.10.3-hb585cf6_0.tar.bz2");

    assertThat(info.index().license()).contains("BSD-3-Clause");
    assertThat(info.index().licenseFamily()).contains("BSD");
    assertThat(info.index().depends()).hasSize(9).contains("zlib >=1.2.11,<1.3.0a0");
    assertThat(info.about()).hasValueSatisfying(a -> {
      assertThat(a.devUrl()).contains("https://github.com/QuantStack/xtensor-io");
      assertThat(a.docUrl()).contains("http://xtensor-io.readthedocs.io");
    });
    assertThat(info.runExports()).isEmpty();
  }

  @Test
  void readsNewerZipLayoutWithInfoComponentLast() throws Exception {
    PackageInfo info = read("other-package-0.2-0.conda");

    assertThat(info.index().timestamp()).hasValue(1599839787253L);
    assertThat(info.paths()).hasValueSatisfying(p -> assertThat(p.fileCount()).isZero());
    assertThat(info.about()).isPresent();
  }

  @Test
  void rejectsPlainTextPosingAsTarBz2WithoutNamingTheFileRead() {
    InvalidPackageException e = reject(Fixtures.corruptPackage("bad_package.tar.bz2"), "bad_package-1.0-0.tar.bz2");

    assertThat(e.code()).isEqualTo("not_a_conda_package");
    assertThat(e.getMessage())
        .isEqualTo("the file is not bzip2-compressed, so it is not a .tar.bz2 package")
        .doesNotContain("bad_package");
  }

  @Test
  void rejectsZeroByteConda() {
    InvalidPackageException e =
        reject(Fixtures.corruptPackage("another_bad_package.conda"), "another_bad_package-1.0-0.conda");

    assertThat(e.code()).isEqualTo("empty_file");
  }

  @Test
  void rejectsCondaFileReadAsTarBz2AndTheOtherWayRound() {
    assertThat(reject(Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.conda"), "zlib-1.2.11-h7b6447c_3.tar.bz2").code())
        .isEqualTo("not_a_conda_package");
    assertThat(reject(Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.tar.bz2"), "zlib-1.2.11-h7b6447c_3.conda").code())
        .isEqualTo("not_a_conda_package");
  }

  static InvalidPackageException reject(Path file, String filename) {
    InvalidPackageException e = catchThrowableOfType(
        InvalidPackageException.class, () -> PackageArchives.readInfo(file, filename, ReadLimits.defaults()));
    assertThat(e).as("expected %s to be rejected", filename).isNotNull();
    return e;
  }
}
