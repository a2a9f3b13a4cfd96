package io.wharf.conda.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The container rules of a .conda (CEP 35) as conda's reader applies them: components named after the file
 * at the top of an uncompressed ZIP, each once, zstd-compressed tars, intact, beside a metadata.json of
 * format version 2. Each broken rule gets its own message.
 */
class CondaLayoutTest extends GeneratedPackages {
  private static final String STEM = "demo-1.0-h0_0";
  private static final String INFO = "info-" + STEM + ".tar.zst";
  private static final String PKG = "pkg-" + STEM + ".tar.zst";
  private static final byte[] METADATA = "{\"conda_pkg_format_version\": 2}".getBytes(StandardCharsets.UTF_8);

  private static byte[] infoTar() throws Exception {
    return PackageWriter.zstd(PackageWriter.tar(validInfo()));
  }

  private static byte[] pkgTar() throws Exception {
    return PackageWriter.zstd(PackageWriter.tar(List.of(PackageWriter.Entry.file("lib/demo.txt", "demo"))));
  }

  private Path zip(String[] names, byte[][] contents) throws Exception {
    Path file = dir.resolve(STEM + ".conda");
    PackageWriter.writeZip(file, names, contents);
    return file;
  }

  @Test
  void readsComponentsInAnyOrderAndIgnoresOtherMembers() throws Exception {
    Path file = zip(new String[] {INFO, "README.txt", PKG, "metadata.json"},
        new byte[][] {infoTar(), "hello".getBytes(), pkgTar(), METADATA});

    assertThat(read(file, ReadLimits.defaults()).index().name()).isEqualTo("demo");
  }

  @Test
  void refusesAPackageWithoutItsPkgComponent() throws Exception {
    Path file = zip(new String[] {"metadata.json", INFO}, new byte[][] {METADATA, infoTar()});

    assertThat(reject(file).getMessage()).isEqualTo("the ZIP has no " + PKG + " component (CEP 35)");
  }

  @Test
  void refusesAPackageWithoutMetadataJson() throws Exception {
    Path file = zip(new String[] {PKG, INFO}, new byte[][] {pkgTar(), infoTar()});

    InvalidPackageException e = reject(file);

    assertThat(e.code()).isEqualTo("not_a_conda_package");
    assertThat(e.getMessage()).isEqualTo("the ZIP has no metadata.json (CEP 35)");
  }

  @Test
  void refusesMetadataJsonThatIsNotAnObjectOrNotJson() throws Exception {
    Path array = zip(new String[] {"metadata.json", PKG, INFO}, new byte[][] {"[2]".getBytes(), pkgTar(), infoTar()});
    assertThat(reject(array).getMessage()).isEqualTo("metadata.json is not a JSON object (CEP 35)");

    Path text = zip(new String[] {"metadata.json", PKG, INFO}, new byte[][] {"v2".getBytes(), pkgTar(), infoTar()});
    assertThat(reject(text).getMessage()).isEqualTo("metadata.json is not valid JSON");

    Path none = zip(new String[] {"metadata.json", PKG, INFO}, new byte[][] {"{}".getBytes(), pkgTar(), infoTar()});
    assertThat(reject(none).getMessage())
        .isEqualTo("metadata.json declares conda_pkg_format_version nothing; CEP 35 defines version 2");
  }

  @Test
  void refusesAComponentThatAppearsTwice() throws Exception {
    Path file = zip(new String[] {"metadata.json", PKG, INFO, INFO},
        new byte[][] {METADATA, pkgTar(), infoTar(), infoTar()});

    InvalidPackageException e = reject(file);

    assertThat(e.code()).isEqualTo("not_a_conda_package");
    assertThat(e.getMessage()).isEqualTo("the ZIP holds " + INFO + " twice");
  }

  @Test
  void refusesAnotherMemberThatSharesAComponentsPrefix() throws Exception {
    Path file = zip(new String[] {"metadata.json", PKG, INFO, INFO + ".sig"},
        new byte[][] {METADATA, pkgTar(), infoTar(), "signature".getBytes()});

    assertThat(reject(file).getMessage()).isEqualTo("the ZIP holds " + INFO + ".sig beside the component of the"
        + " same prefix; conda finds components by that prefix and refuses a package with two");
  }

  @Test
  void refusesAPkgComponentThatIsNotZstd() throws Exception {
    Path file = zip(new String[] {"metadata.json", PKG, INFO},
        new byte[][] {METADATA, PackageWriter.tar(List.of()), infoTar()});

    InvalidPackageException e = reject(file);

    assertThat(e.code()).isEqualTo("not_a_conda_package");
    assertThat(e.getMessage()).isEqualTo(PKG + " is not Zstandard-compressed (CEP 35)");
  }

  @Test
  void refusesAPkgComponentThatIsZstdButNotATar() throws Exception {
    byte[] notTar = PackageWriter.zstd("this is text, not a tar archive ".repeat(40).getBytes());
    Path file = zip(new String[] {"metadata.json", PKG, INFO}, new byte[][] {METADATA, notTar, infoTar()});

    InvalidPackageException e = reject(file);

    assertThat(e.code()).isEqualTo("corrupt_archive");
    assertThat(e.getMessage()).startsWith(PKG + " is not a readable zstd-compressed tar: ");
  }

  @Test
  void refusesAComponentWhoseBytesDoNotMatchTheirChecksum() throws Exception {
    Path file = conda(validInfo());
    long offset;
    long length;
    try (ZipFile zip = ZipFile.builder().setPath(file).get()) {
      offset = zip.getEntry(PKG).getDataOffset();
      length = zip.getEntry(PKG).getCompressedSize();
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
      channel.read(one, offset + length - 1);
      one.put(0, (byte) (one.get(0) ^ 0x55));
      channel.write(one.rewind(), offset + length - 1);
    }

    InvalidPackageException e = reject(file);

    assertThat(e.code()).isEqualTo("corrupt_archive");
    assertThat(e.getMessage()).isEqualTo(PKG + " does not match its ZIP checksum; the file is damaged");
  }

  @Test
  void refusesAFileThatIsNotAZip() throws Exception {
    Path file = dir.resolve(STEM + ".conda");
    java.nio.file.Files.writeString(file, "not a zip at all");

    assertThat(reject(file).getMessage()).isEqualTo("the file is not a ZIP file, so it is not a .conda package");
  }
}
