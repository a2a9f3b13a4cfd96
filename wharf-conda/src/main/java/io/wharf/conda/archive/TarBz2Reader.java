package io.wharf.conda.archive;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.Map;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

/** Reads a v1 {@code .tar.bz2} (CEP 35): a bzip2-compressed tar rooted at the install prefix. */
final class TarBz2Reader {
  private TarBz2Reader() {}

  private static final String CONTAINER = "the package";

  static Map<String, byte[]> readInfoFiles(SourceChannel channel, ReadBudget budget)
      throws IOException, InvalidPackageException {
    long size = channel.size();
    InputStream file = new BufferedInputStream(Channels.newInputStream(channel), 64 * 1024);
    if (!hasBzip2Magic(file)) {
      throw new InvalidPackageException(
          "not_a_conda_package", "the file is not bzip2-compressed, so it is not a .tar.bz2 package");
    }
    InfoTarScanner scanner = new InfoTarScanner(budget);
    long allowance = budget.limits().decompressedAllowance(size);
    // Concatenated bzip2 streams are accepted, as Python's bz2 module (used by conda) accepts them.
    try (InputStream bzip2 = new BZip2CompressorInputStream(file, true)) {
      scanner.scan(bzip2, CONTAINER, allowance, budget.limits().overAllowance("the package", size));
    }
    return scanner.found();
  }

  // "BZh" plus a block size digit 1-9 starts every bzip2 stream.
  private static boolean hasBzip2Magic(InputStream in) throws IOException {
    in.mark(4);
    byte[] head = in.readNBytes(4);
    in.reset();
    return head.length == 4
        && head[0] == 'B'
        && head[1] == 'Z'
        && head[2] == 'h'
        && head[3] >= '1'
        && head[3] <= '9';
  }
}
