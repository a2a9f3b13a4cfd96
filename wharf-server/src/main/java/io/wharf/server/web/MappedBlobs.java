package io.wharf.server.web;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Package files mapped into memory, so that a download is written from the page cache straight to the
 * socket (one copy in the kernel, as with sendfile) instead of being read into a buffer first. A blob key
 * names its content (its SHA-256) and the store only ever moves a finished file into place, so a mapping
 * never goes stale; a deleted blob's mapping stays valid until it is dropped. The most recently used
 * files stay mapped; a dropped mapping is unmapped by the garbage collector.
 */
final class MappedBlobs {
  /** A mapping is at most 2 GiB; larger files are mapped as several regions. */
  static final long REGION = 1L << 30;

  private final Map<String, List<ByteBuffer>> mapped;

  MappedBlobs(int capacity) {
    this.mapped = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, List<ByteBuffer>> eldest) {
        return size() > capacity;
      }
    };
  }

  /** The file's bytes as read-only regions, or null when the file is not {@code size} bytes long. */
  List<ByteBuffer> regions(String key, Path file, long size) throws IOException {
    synchronized (mapped) {
      List<ByteBuffer> known = mapped.get(key);
      if (known != null) {
        return known;
      }
    }
    List<ByteBuffer> regions = new ArrayList<>();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      if (ch.size() != size) {
        return null;
      }
      for (long at = 0; at < size; at += REGION) {
        regions.add(ch.map(FileChannel.MapMode.READ_ONLY, at, Math.min(REGION, size - at)));
      }
    }
    List<ByteBuffer> made = List.copyOf(regions);
    synchronized (mapped) {
      mapped.put(key, made);
    }
    return made;
  }

  /** Views of the bytes {@code [start, start + length)} of a file mapped as {@code regions}. */
  static List<ByteBuffer> slice(List<ByteBuffer> regions, long start, long length) {
    List<ByteBuffer> out = new ArrayList<>();
    long regionStart = 0;
    long end = start + length;
    for (ByteBuffer r : regions) {
      long regionEnd = regionStart + r.capacity();
      long from = Math.max(start, regionStart);
      long to = Math.min(end, regionEnd);
      if (from < to) {
        out.add(r.slice((int) (from - regionStart), (int) (to - from)));
      }
      regionStart = regionEnd;
    }
    return out;
  }
}
