package io.wharf.conda.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A .conda unpacked and zipped again by a generic tool: components under a folder, deflated, streamed.
 * conda's reader finds components only at the top of the ZIP, so such a file cannot be installed and is
 * refused, with a message that says where the components must be.
 */
class ReZippedCondaTest {
  private static final String STEM = "zlib-1.2.11-h7b6447c_3";

  @TempDir Path dir;

  @Test
  void refusesComponentsUnderADirectoryPrefix() throws Exception {
    Path file = dir.resolve(STEM + ".conda");
    reZip(Fixtures.realPackage(STEM + ".conda"), file, STEM + "/");

    try (ZipFile zip = ZipFile.builder().setPath(file).get()) {
      List<ZipArchiveEntry> entries = Collections.list(zip.getEntries());
      assertThat(entries).extracting(ZipArchiveEntry::getName)
          .contains(STEM + "/", STEM + "/info-" + STEM + ".tar.zst", STEM + "/metadata.json");
      assertThat(entries).filteredOn(e -> !e.isDirectory())
          .allSatisfy(e -> assertThat(e.getGeneralPurposeBit().usesDataDescriptor()).isTrue());
    }

    InvalidPackageException e = catchThrowableOfType(InvalidPackageException.class,
        () -> PackageArchives.readInfo(file, STEM + ".conda", ReadLimits.defaults()));

    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo("not_a_conda_package");
    assertThat(e.getMessage()).contains("has no info-" + STEM + ".tar.zst")
        .contains("it holds " + STEM + "/")
        .contains("at the top of the ZIP");
  }

  @Test
  void refusesDeflatedComponentsAtTheRightPlace() throws Exception {
    Path file = dir.resolve(STEM + ".conda");
    reZip(Fixtures.realPackage(STEM + ".conda"), file, "");

    InvalidPackageException e = catchThrowableOfType(InvalidPackageException.class,
        () -> PackageArchives.readInfo(file, STEM + ".conda", ReadLimits.defaults()));

    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo("not_a_conda_package");
    assertThat(e.getMessage()).contains("uncompressed ZIP (CEP 35)");
  }

  // Writing to a plain OutputStream (not a seekable file) forces sizes and CRCs into data descriptors.
  private static void reZip(Path source, Path target, String prefix) throws IOException {
    try (ZipFile in = ZipFile.builder().setPath(source).get();
        OutputStream raw = Files.newOutputStream(target);
        ZipArchiveOutputStream out = new ZipArchiveOutputStream(new NonSeekable(raw))) {
      if (!prefix.isEmpty()) {
        out.putArchiveEntry(new ZipArchiveEntry(prefix));
        out.closeArchiveEntry();
      }
      for (ZipArchiveEntry entry : Collections.list(in.getEntries())) {
        ZipArchiveEntry copy = new ZipArchiveEntry(prefix + entry.getName());
        copy.setMethod(ZipArchiveEntry.DEFLATED);
        out.putArchiveEntry(copy);
        try (InputStream data = in.getInputStream(entry)) {
          data.transferTo(out);
        }
        out.closeArchiveEntry();
      }
    }
  }

  private static final class NonSeekable extends java.io.FilterOutputStream {
    NonSeekable(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }
  }
}
