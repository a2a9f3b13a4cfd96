package io.wharf.conda.archive;

import static io.wharf.conda.archive.PackageWriter.Entry.file;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.conda.archive.PackageWriter.Entry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.Test;

/** Damaged, incomplete or oddly built packages: each is rejected with a precise code, or read when harmless. */
class MalformedArchivesTest extends GeneratedPackages {
  private static final byte[] METADATA = "{\"conda_pkg_format_version\": 2}".getBytes();

  @Test
  void rejectsTruncatedTarBz2() throws Exception {
    Path file = firstHalfOf(Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.tar.bz2"), "zlib-1.2.11-h7b6447c_3.tar.bz2");

    assertThat(reject(file).code()).isEqualTo("corrupt_archive");
  }

  @Test
  void rejectsTruncatedConda() throws Exception {
    Path file = firstHalfOf(Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.conda"), "zlib-1.2.11-h7b6447c_3.conda");

    assertThat(reject(file).code()).isEqualTo("corrupt_archive");
  }

  private Path firstHalfOf(Path source, String name) throws IOException {
    byte[] bytes = Files.readAllBytes(source);
    return Files.write(dir.resolve(name), Arrays.copyOf(bytes, bytes.length / 2));
  }

  @Test
  void rejectsPackagesWithoutIndexJson() throws Exception {
    List<Entry> entries = List.of(file("info/paths.json", PATHS), file("bin/tool", "#!/bin/sh"));

    assertThat(reject(tarBz2(entries)).code()).isEqualTo("missing_index_json");
    assertThat(reject(conda(entries)).code()).isEqualTo("missing_index_json");
  }

  @Test
  void rejectsIndexJsonWithTheWrongTypes() throws Exception {
    List<Entry> entries =
        List.of(file("info/index.json", INDEX.replace("\"build_number\": 0", "\"build_number\": \"0\"")));

    InvalidPackageException e = reject(conda(entries));

    assertThat(e.code()).isEqualTo("invalid_index_json");
    assertThat(e.getMessage()).contains("build_number");
  }

  @Test
  void rejectsIndexJsonThatIsNotJson() throws Exception {
    assertThat(reject(tarBz2(List.of(file("info/index.json", "name: demo")))).code())
        .isEqualTo("invalid_index_json");
  }

  @Test
  void rejectsDuplicatedIndexJson() throws Exception {
    List<Entry> entries = validInfo();
    entries.add(file("info/index.json", INDEX.replace("demo", "other")));

    assertThat(reject(tarBz2(entries)).code()).isEqualTo("corrupt_archive");
  }

  @Test
  void ignoresRepodataRecordJsonInsideTheArtifact() throws Exception {
    List<Entry> entries = validInfo();
    entries.add(file("info/repodata_record.json", "{\"name\": \"evil\", \"sha256\": \"00\"}"));

    PackageInfo info = read(conda(entries), ReadLimits.defaults());

    assertThat(info.index().name()).isEqualTo("demo");
    assertThat(info.rawInfoFiles()).doesNotContainKey("info/repodata_record.json");
  }

  @Test
  void rejectsInnerComponentsWhoseNamesDisagreeWithTheFile() throws Exception {
    Path file = dir.resolve("demo-1.0-h0_0.conda");
    PackageWriter.writeConda(file, "something-else-9-x_1", validInfo());

    InvalidPackageException e = reject(file);

    assertThat(e.code()).isEqualTo("not_a_conda_package");
    assertThat(e.getMessage()).isEqualTo("the ZIP has no info-demo-1.0-h0_0.tar.zst component (CEP 35);"
        + " it holds pkg-something-else-9-x_1.tar.zst, but the components must be info-demo-1.0-h0_0.tar.zst"
        + " and pkg-demo-1.0-h0_0.tar.zst at the top of the ZIP, named after the file");
  }

  @Test
  void acceptsMembersWithLeadingDotSlash() throws Exception {
    List<Entry> entries = List.of(file("./info/index.json", INDEX));

    assertThat(read(tarBz2(entries), ReadLimits.defaults()).rawInfoFiles()).containsKey("info/index.json");
  }

  @Test
  void rejectsUnsupportedCondaFormatVersion() throws Exception {
    Path file = condaWithMetadata("{\"conda_pkg_format_version\": 3}");

    InvalidPackageException e = reject(file);

    assertThat(e.code()).isEqualTo("not_a_conda_package");
    assertThat(e.getMessage())
        .isEqualTo("metadata.json declares conda_pkg_format_version 3; CEP 35 defines version 2");
  }

  @Test
  void rejectsZipWithoutInfoComponent() throws Exception {
    Path file = dir.resolve("demo-1.0-h0_0.conda");
    PackageWriter.writeZip(
        file, new String[] {"metadata.json"}, new byte[][] {"{\"conda_pkg_format_version\": 2}".getBytes()});

    assertThat(reject(file).code()).isEqualTo("not_a_conda_package");
  }

  @Test
  void rejectsInfoComponentThatIsNotZstd() throws Exception {
    Path file = dir.resolve("demo-1.0-h0_0.conda");
    PackageWriter.writeZip(
        file,
        new String[] {"metadata.json", "pkg-demo-1.0-h0_0.tar.zst", "info-demo-1.0-h0_0.tar.zst"},
        new byte[][] {METADATA, PackageWriter.zstd(PackageWriter.tar(List.of())), PackageWriter.tar(validInfo())});

    InvalidPackageException e = reject(file);

    assertThat(e.code()).isEqualTo("not_a_conda_package");
    assertThat(e.getMessage()).isEqualTo("info-demo-1.0-h0_0.tar.zst is not Zstandard-compressed (CEP 35)");
  }

  private Path condaWithMetadata(String metadata) throws IOException {
    Path file = dir.resolve("demo-1.0-h0_0.conda");
    PackageWriter.writeZip(
        file,
        new String[] {"metadata.json", "pkg-demo-1.0-h0_0.tar.zst", "info-demo-1.0-h0_0.tar.zst"},
        new byte[][] {
          metadata.getBytes(java.nio.charset.StandardCharsets.UTF_8),
          PackageWriter.zstd(PackageWriter.tar(List.of())),
          PackageWriter.zstd(PackageWriter.tar(validInfo()))
        });
    return file;
  }

  @Test
  void rejectsBzip2ThatDoesNotHoldATar() throws Exception {
    Path file = dir.resolve("demo-1.0-h0_0.tar.bz2");
    try (var out = new BZip2CompressorOutputStream(Files.newOutputStream(file))) {
      out.write("just some text, long enough to be more than a few bytes".repeat(20).getBytes());
    }

    assertThat(reject(file).code()).isEqualTo("corrupt_archive");
  }

  @Test
  void reportsAMissingFileAsAnIoError() {
    assertThatThrownBy(() -> read(dir.resolve("absent.conda"), ReadLimits.defaults()))
        .isInstanceOf(NoSuchFileException.class);
  }
}
