package io.wharf.conda.archive;

import static io.wharf.conda.archive.PackageWriter.Entry.file;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.conda.archive.PackageWriter.Entry;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A small .tar.bz2 is first decoded with a block buffer sized from the file (see {@link TarBz2Reader}); these
 * packages hold blocks far longer than that guess, or were written at every level, and must read the same.
 */
class TarBz2LevelsTest extends GeneratedPackages {

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void readsASmallFileWhoseBlockHoldsFarMoreThanItsSizeSuggests(boolean infoFirst) throws Exception {
    // 600 kB of a repeated pattern compress to a few hundred bytes, so the guess from the file's size allows a
    // block of 100 kB; bzip2's first run-length step does not shorten the pattern (no byte repeats), so the
    // block holds all 600 kB
    List<Entry> entries = new ArrayList<>();
    Entry zeros = file("share/demo/pattern", "0123456789abcdef".repeat(600_000 / 16));
    if (!infoFirst) {
      entries.add(zeros);
    }
    entries.addAll(validInfo());
    if (infoFirst) {
      entries.add(zeros);
    }
    Path file = tarBz2(entries);
    assertThat(Files.size(file)).isLessThan(2_000);

    PackageInfo info = read(file, ReadLimits.defaults());

    assertThat(info.index().name()).isEqualTo("demo");
    assertThat(info.paths()).isPresent();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 5, 9})
  void readsFilesWrittenAtAnyLevel(int level) throws Exception {
    // about 250 kB of text that compresses to about a tenth: more than one block at levels 1 and 2
    StringBuilder text = new StringBuilder();
    for (int i = 0; text.length() < 250_000; i++) {
      text.append("line ").append(i).append(' ').append(Integer.toHexString(i * 2654435761L > 0 ? i * 7919 : i))
          .append('\n');
    }
    List<Entry> entries = validInfo();
    entries.add(file("share/demo/notes.txt", text.toString()));
    Path file = atLevel(tarBz2(entries), level);
    assertThat(Files.newInputStream(file).readNBytes(4))
        .isEqualTo(("BZh" + level).getBytes(StandardCharsets.US_ASCII));

    PackageInfo info = read(file, ReadLimits.defaults());

    assertThat(info.index().name()).isEqualTo("demo");
    assertThat(info.paths()).isPresent();
  }

  // the same tar, compressed again at the given level
  private static Path atLevel(Path file, int level) throws Exception {
    byte[] tar;
    try (InputStream in = new BZip2CompressorInputStream(Files.newInputStream(file))) {
      tar = in.readAllBytes();
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new BZip2CompressorOutputStream(bytes, level)) {
      out.write(tar);
    }
    Files.write(file, bytes.toByteArray());
    return file;
  }
}
