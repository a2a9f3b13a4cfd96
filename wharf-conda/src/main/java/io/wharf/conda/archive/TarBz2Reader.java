package io.wharf.conda.archive;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.channels.Channels;
import java.util.Arrays;
import java.util.Map;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

/** Reads a v1 {@code .tar.bz2} (CEP 35): a bzip2-compressed tar rooted at the install prefix. */
final class TarBz2Reader {
  private TarBz2Reader() {}

  private static final String CONTAINER = "the package";
  /**
   * bzip2's decoder sizes its block buffer from the level digit of the stream header (100 kB per level, 900 kB
   * at the usual level 9), whatever the block really holds, so a package of a few kilobytes cost a 900 kB
   * buffer; in a bulk import of small packages that was most of what reading them allocated. A file is
   * therefore first decoded with the level lowered to what a block {@value #EXPANSION_GUESS} times the file's
   * size needs. The level only bounds a block's length: a block that holds more makes the decoder stop with an
   * overrun before it yields any of the block's bytes, and the file is then read again with its own header.
   */
  static final int EXPANSION_GUESS = 8;

  static Map<String, byte[]> readInfoFiles(SourceChannel channel, ReadBudget budget)
      throws IOException, InvalidPackageException {
    long size = channel.size();
    byte[] head = new byte[4];
    InputStream file = open(channel, head);
    if (!isBzip2Header(head)) {
      throw new InvalidPackageException(
          "not_a_conda_package", "the file is not bzip2-compressed, so it is not a .tar.bz2 package");
    }
    int level = head[3] - '0';
    int guessed = (int) Math.max(1, Math.min(level, (size * EXPANSION_GUESS + 99_999) / 100_000));
    if (guessed < level) {
      byte[] lowered = {'B', 'Z', 'h', (byte) ('0' + guessed)};
      try {
        return scan(new SequenceInputStream(new ByteArrayInputStream(lowered), file), size, budget);
      } catch (SourceChannel.SourceFailure | ReadBudget.Exceeded e) {
        // up to an overrun both reads yield the same bytes, so a spent budget would be spent again
        throw e;
      } catch (IOException | RuntimeException e) {
        // the decoder stopped: a longer block, or a damaged file; the read as written decides. A refusal of
        // what was read (InvalidPackageException) needs no second read, for the same reason as a spent budget.
        file = open(channel, head);
      }
    }
    return scan(new SequenceInputStream(new ByteArrayInputStream(head), file), size, budget);
  }

  private static Map<String, byte[]> scan(InputStream compressed, long size, ReadBudget budget)
      throws IOException, InvalidPackageException {
    InfoTarScanner scanner = new InfoTarScanner(budget);
    long allowance = budget.limits().decompressedAllowance(size);
    // Concatenated bzip2 streams are accepted, as Python's bz2 module (used by conda) accepts them.
    try (InputStream bzip2 = new BZip2CompressorInputStream(compressed, true)) {
      scanner.scan(bzip2, CONTAINER, allowance, budget.limits().overAllowance(CONTAINER, size));
    }
    return scanner.found();
  }

  /** The file from its start, with its first four bytes read into {@code head} (zeros where it is shorter). */
  private static InputStream open(SourceChannel channel, byte[] head) throws IOException {
    channel.position(0);
    int buffer = (int) Math.max(512, Math.min(64 * 1024, channel.size()));
    // closing a decoder must not close the channel, which a second read may need
    InputStream file = new BufferedInputStream(new Unclosed(Channels.newInputStream(channel)), buffer);
    Arrays.fill(head, (byte) 0);
    file.readNBytes(head, 0, head.length);
    return file;
  }

  // "BZh" plus a block size digit 1-9 starts every bzip2 stream.
  private static boolean isBzip2Header(byte[] head) {
    return head[0] == 'B' && head[1] == 'Z' && head[2] == 'h' && head[3] >= '1' && head[3] <= '9';
  }

  /** The channel's stream, left open when a decoder over it is closed. */
  private static final class Unclosed extends FilterInputStream {
    Unclosed(InputStream in) {
      super(in);
    }

    @Override
    public void close() {
      // the channel is closed by whoever opened it
    }
  }
}
