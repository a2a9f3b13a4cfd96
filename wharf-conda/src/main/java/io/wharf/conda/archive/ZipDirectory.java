package io.wharf.conda.archive;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;

/**
 * Measures a ZIP's central directory before a ZIP library parses it: the library builds an object for every
 * entry, so a directory of millions of tiny entries would cost memory out of all proportion to the upload.
 * The directory is located the way readers locate it (APPNOTE 4.3.16): the last end-of-central-directory
 * record, and the ZIP64 record when a ZIP64 locator sits right before it.
 */
final class ZipDirectory {
  private static final int EOCD_SIG = 0x06054b50;
  private static final int ZIP64_LOCATOR_SIG = 0x07064b50;
  private static final int ZIP64_EOCD_SIG = 0x06064b50;
  private static final int EOCD_SIZE = 22;
  private static final int MAX_COMMENT = 0xFFFF;
  private static final int ZIP64_LOCATOR_SIZE = 20;

  private ZipDirectory() {}

  /**
   * The bytes from the start of the central directory to the end of the file, an upper bound of what the
   * directory's entries can occupy; -1 when no directory is found (the ZIP library then refuses the file).
   */
  static long span(SeekableByteChannel channel) throws IOException {
    long size = channel.size();
    if (size < EOCD_SIZE) {
      return -1;
    }
    int tailLength = (int) Math.min(size, EOCD_SIZE + MAX_COMMENT);
    ByteBuffer tail = read(channel, size - tailLength, tailLength);
    int eocd = -1;
    for (int i = tailLength - EOCD_SIZE; i >= 0; i--) {
      if (tail.getInt(i) == EOCD_SIG) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) {
      return -1;
    }
    long eocdPosition = size - tailLength + eocd;
    long directoryOffset = Integer.toUnsignedLong(tail.getInt(eocd + 16));
    if (eocdPosition >= ZIP64_LOCATOR_SIZE) {
      ByteBuffer locator = read(channel, eocdPosition - ZIP64_LOCATOR_SIZE, ZIP64_LOCATOR_SIZE);
      if (locator.getInt(0) == ZIP64_LOCATOR_SIG) {
        long zip64Position = locator.getLong(8);
        if (zip64Position < 0 || zip64Position > size - 56) {
          return -1;
        }
        ByteBuffer zip64 = read(channel, zip64Position, 56);
        if (zip64.getInt(0) != ZIP64_EOCD_SIG) {
          return -1;
        }
        directoryOffset = zip64.getLong(48);
      }
    }
    if (directoryOffset < 0 || directoryOffset > size) {
      return -1;
    }
    return size - directoryOffset;
  }

  private static ByteBuffer read(SeekableByteChannel channel, long position, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    channel.position(position);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        throw new java.io.EOFException("the ZIP ends inside its directory records");
      }
    }
    return buffer.flip();
  }
}
