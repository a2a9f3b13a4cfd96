package io.wharf.conda.archive;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A read-only channel over a package file (or its bytes) whose own I/O failures are marked, so that a failing disk is reported as an
 * IOException while everything the archive libraries throw about the bytes means a bad package. Every byte
 * read is charged to the read's {@link ReadBudget}, so that even work that produces no output (empty bzip2
 * streams, skippable zstd frames, a ZIP directory) reaches its clock and cancellation checks.
 */
final class SourceChannel implements SeekableByteChannel {
  private final SeekableByteChannel file;
  private final ReadBudget budget;

  private SourceChannel(SeekableByteChannel file, ReadBudget budget) {
    this.file = file;
    this.budget = budget;
  }

  static SourceChannel open(Path path, ReadBudget budget) throws IOException {
    return new SourceChannel(FileChannel.open(path, StandardOpenOption.READ), budget);
  }

  /** Over bytes already in memory, e.g. a small file of a bulk import: nothing to open or to fail. */
  static SourceChannel over(byte[] content, ReadBudget budget) {
    return new SourceChannel(new org.apache.commons.compress.utils.SeekableInMemoryByteChannel(content), budget);
  }

  /** An I/O failure of the package file itself, not of its content. */
  static final class SourceFailure extends IOException {
    SourceFailure(IOException cause) {
      super(cause.getMessage(), cause);
    }

    IOException original() {
      return (IOException) getCause();
    }
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    int n;
    try {
      n = file.read(dst);
    } catch (IOException e) {
      throw new SourceFailure(e);
    }
    if (n > 0) {
      budget.chargeCompressed(n);
    }
    return n;
  }

  @Override
  public int write(ByteBuffer src) {
    throw new java.nio.channels.NonWritableChannelException();
  }

  @Override
  public long position() throws IOException {
    try {
      return file.position();
    } catch (IOException e) {
      throw new SourceFailure(e);
    }
  }

  @Override
  public SeekableByteChannel position(long newPosition) throws IOException {
    try {
      file.position(newPosition);
      return this;
    } catch (IOException e) {
      throw new SourceFailure(e);
    }
  }

  @Override
  public long size() throws IOException {
    try {
      return file.size();
    } catch (IOException e) {
      throw new SourceFailure(e);
    }
  }

  @Override
  public SeekableByteChannel truncate(long size) {
    throw new java.nio.channels.NonWritableChannelException();
  }

  @Override
  public boolean isOpen() {
    return file.isOpen();
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
