package io.wharf.server.index.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Where published bytes live: files under one directory of this node, mapped read-only into memory,
 * so that a channel's size costs page cache, not Java heap. The files are derived from the database and
 * never read back after a restart: the directory and everything below it is emptied when the node starts. A file is unlinked as
 * soon as no snapshot refers to it; a reader still streaming an old snapshot keeps its mapping, which
 * Linux keeps valid after the unlink.
 */
public final class SegmentFiles {
  private final Path dir;
  private final AtomicLong next = new AtomicLong();

  public SegmentFiles(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
      // Deepest first: a directory holding published files (a subdir's shards) is emptied before it
      // goes. Whatever an earlier run left, stopped cleanly or killed, is derived data.
      try (Stream<Path> old = Files.walk(dir)) {
        for (Path p : (Iterable<Path>) old.sorted(Comparator.reverseOrder())::iterator) {
          if (!p.equals(dir)) {
            Files.deleteIfExists(p);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the published-files directory " + dir, e);
    }
  }

  /** Writes the bytes to a new file and maps it; the file is gone once {@link Mapped#release()} is called. */
  public Mapped write(byte[]... parts) {
    Path file = dir.resolve(next.incrementAndGet() + ".seg");
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      long total = 0;
      for (byte[] p : parts) {
        ByteBuffer b = ByteBuffer.wrap(p);
        while (b.hasRemaining()) {
          ch.write(b);
        }
        total += p.length;
      }
      MappedByteBuffer map = total == 0 ? null : ch.map(FileChannel.MapMode.READ_ONLY, 0, total);
      return new Mapped(file, map == null ? ByteBuffer.allocate(0) : map);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // reported below
      }
      throw new UncheckedIOException("cannot write published bytes to " + file, e);
    }
  }

  /** A mapped file; slices of {@link #buffer()} are handed to readers. */
  public record Mapped(Path file, ByteBuffer buffer) {
    /** A read-only view of [offset, offset+length). */
    public ByteBuffer slice(int offset, int length) {
      return buffer.slice(offset, length).asReadOnlyBuffer();
    }

    public void release() {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // the directory is emptied at the next start
      }
    }
  }
}
