package io.wharf.conda.archive;

import static io.wharf.conda.archive.PackageWriter.Entry.file;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.conda.archive.PackageWriter.Entry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Packages built to attack the reader: escaping paths, links, and sizes beyond the limits. */
class HostileArchivesTest extends GeneratedPackages {
  @Test
  void generatedPackagesOfBothFormatsRead() throws Exception {
    for (Path file : List.of(tarBz2(validInfo()), conda(validInfo()))) {
      PackageInfo info = read(file, ReadLimits.defaults());
      assertThat(info.index().name()).isEqualTo("demo");
      assertThat(info.paths()).isPresent();
      assertThat(info.about()).isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"../x", "info/../../x", "bin/..", "/etc/passwd", "\\evil", "C:/Windows/x", "./../x", "..",
      "info\\..\\..\\x", "bin\\..", "a/..\\b"})
  void rejectsEntriesThatEscapeThePrefixInTarBz2(String name) throws Exception {
    List<Entry> entries = validInfo();
    entries.add(file(name, "boom"));

    InvalidPackageException e = reject(tarBz2(entries));

    assertThat(e.code()).isEqualTo("unsafe_path");
  }

  @Test
  void rejectsTraversalInsideTheCondaInfoTarball() throws Exception {
    List<Entry> entries = validInfo();
    entries.add(file("info/../../../tmp/x", "boom"));

    assertThat(reject(conda(entries)).code()).isEqualTo("unsafe_path");
  }

  @Test
  void rejectsTraversalInZipEntryNames() throws Exception {
    Path file = dir.resolve("demo-1.0-h0_0.conda");
    PackageWriter.writeZip(
        file,
        new String[] {"metadata.json", "../info-demo-1.0-h0_0.tar.zst"},
        new byte[][] {
          "{\"conda_pkg_format_version\": 2}".getBytes(),
          PackageWriter.zstd(PackageWriter.tar(validInfo()))
        });

    assertThat(reject(file).code()).isEqualTo("unsafe_path");
  }

  @Test
  void neverFollowsASymlinkedIndexJson() throws Exception {
    List<Entry> entries = new ArrayList<>();
    entries.add(Entry.symlink("info/index.json", "/etc/passwd"));
    entries.add(file("info/paths.json", PATHS));

    assertThat(reject(tarBz2(entries)).code()).isEqualTo("missing_index_json");
    assertThat(reject(conda(entries)).code()).isEqualTo("missing_index_json");
  }

  @Test
  void neverFollowsAHardLinkedIndexJson() throws Exception {
    List<Entry> entries = new ArrayList<>();
    entries.add(file("lib/real.json", INDEX));
    entries.add(Entry.hardlink("info/index.json", "lib/real.json"));

    assertThat(reject(tarBz2(entries)).code()).isEqualTo("missing_index_json");
  }

  @Test
  void ignoresPayloadSymlinksEvenWhenTheyPointOutside() throws Exception {
    List<Entry> entries = validInfo();
    entries.add(Entry.symlink("lib/libdemo.so", "libdemo.so.1"));
    entries.add(Entry.symlink("etc/leak", "../../../etc/shadow"));
    entries.add(Entry.directory("share/demo/"));

    assertThat(read(tarBz2(entries), ReadLimits.defaults()).index().name()).isEqualTo("demo");
  }

  @Test
  void rejectsIndexJsonLargerThanTheLimit() throws Exception {
    byte[] big = new byte[4096];
    Arrays.fill(big, (byte) ' ');
    byte[] index = INDEX.getBytes();
    System.arraycopy(index, 0, big, 0, index.length);
    List<Entry> entries = List.of(Entry.file("info/index.json", big));
    ReadLimits limits = new ReadLimits(1024, 1 << 20, 100, 1 << 24);

    for (Path file : List.of(tarBz2(entries), conda(entries))) {
      InvalidPackageException e = reject(file, limits);
      assertThat(e.code()).isEqualTo("too_large");
      assertThat(e.getMessage()).contains("info/index.json");
    }
  }

  @Test
  void rejectsInfoFilesThatTogetherExceedTheTotalLimit() throws Exception {
    List<Entry> entries = validInfo();
    entries.add(file("info/about.json", "{\"summary\": \"" + "a".repeat(900) + "\"}"));
    entries.add(file("info/link.json", "{\"x\": \"" + "b".repeat(900) + "\"}"));
    ReadLimits limits = new ReadLimits(1024, 1500, 100, 1 << 24);

    assertThat(reject(tarBz2(entries), limits).code()).isEqualTo("too_large");
  }

  @Test
  void rejectsTooManyEntries() throws Exception {
    List<Entry> entries = validInfo();
    for (int i = 0; i < 50; i++) {
      entries.add(file("lib/file" + i, "x"));
    }
    ReadLimits limits = new ReadLimits(1 << 20, 1 << 20, 20, 1 << 24);

    InvalidPackageException e = reject(tarBz2(entries), limits);

    assertThat(e.code()).isEqualTo("too_large");
    assertThat(e.getMessage()).contains("20");
  }

  @Test
  void rejectsPayloadThatDecompressesBeyondTheLimit() throws Exception {
    List<Entry> entries = new ArrayList<>();
    entries.add(file("lib/zeros.bin", new byte[4 << 20]));
    entries.addAll(validInfo());
    ReadLimits limits = new ReadLimits(1 << 20, 1 << 20, 100, 1 << 20);

    assertThat(reject(tarBz2(entries), limits).code()).isEqualTo("too_large");
  }

  @Test
  void stopsReadingOnceEveryWantedInfoFileWasSeen() throws Exception {
    List<Entry> entries = validInfo();
    entries.add(file("info/about.json", "{}"));
    entries.add(file("info/run_exports.json", "[\"demo >=1.0\"]"));
    entries.add(file("info/link.json", "{}"));
    entries.add(file("info/recipe/meta.yaml", "package: {name: demo}"));
    // Scanning this payload would exceed the decompression limit below.
    entries.add(file("lib/zeros.bin", new byte[4 << 20]));
    ReadLimits limits = new ReadLimits(1 << 20, 1 << 20, 100, 1 << 20);

    PackageInfo info = read(tarBz2(entries), limits);

    assertThat(info.runExports()).hasValueSatisfying(r -> assertThat(r.weak()).containsExactly("demo >=1.0"));
    assertThat(info.rawInfoFiles()).containsKeys("info/link.json", "info/recipe/meta.yaml");
  }

  @Test
  void rejectsATarHeaderThatWouldBufferMegabytesOfPaxRecords() throws Exception {
    Path file = dir.resolve("demo-1.0-h0_0.tar.bz2");
    try (var out = new BZip2CompressorOutputStream(Files.newOutputStream(file));
        var tar = new TarArchiveOutputStream(out, "UTF-8")) {
      TarArchiveEntry entry = new TarArchiveEntry("lib/padded");
      entry.addPaxHeader("comment", "x".repeat(2 << 20));
      tar.putArchiveEntry(entry);
      tar.closeArchiveEntry();
      byte[] index = INDEX.getBytes();
      TarArchiveEntry indexEntry = new TarArchiveEntry("info/index.json");
      indexEntry.setSize(index.length);
      tar.putArchiveEntry(indexEntry);
      tar.write(index);
      tar.closeArchiveEntry();
    }

    InvalidPackageException e = reject(file);

    assertThat(e.code()).isEqualTo("too_large");
    assertThat(e.getMessage()).contains("tar header");
  }
}
