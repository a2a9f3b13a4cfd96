package io.wharf.server.index.store;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/** Turns a run of keys with their part values into a {@link Segment}: joined texts, frames, hashes, one file. */
final class SegmentWriter {
  /** Segments are small, so a middle level compresses well without making a change slow to publish. */
  static final int ZSTD_LEVEL = 6;
  static final int GZIP_LEVEL = 6;

  private SegmentWriter() {}

  record Entry(String key, byte[][] values) {}

  static Segment write(Layout layout, SegmentFiles files, List<Entry> entries) {
    int parts = layout.parts();
    int n = entries.size();
    String[] keys = new String[n];
    int[][] starts = new int[parts][n];
    int[][] lengths = new int[parts][n];
    byte[][] texts = new byte[parts][];
    for (int p = 0; p < parts; p++) {
      ByteArrayOutputStream text = new ByteArrayOutputStream();
      byte[] sep = layout.separators()[p];
      for (int i = 0; i < n; i++) {
        Entry e = entries.get(i);
        keys[i] = e.key();
        byte[] v = e.values()[p];
        if (v.length == 0) {
          continue;
        }
        if (text.size() > 0) {
          text.write(sep, 0, sep.length);
        }
        starts[p][i] = text.size();
        lengths[p][i] = v.length;
        text.write(v, 0, v.length);
      }
      texts[p] = text.toByteArray();
    }
    byte[][] blocks = new byte[parts * 3][];
    int[] textAt = new int[parts];
    int[] textLen = new int[parts];
    int[] zstAt = new int[parts];
    int[] zstLen = new int[parts];
    int[] gzAt = new int[parts];
    int[] gzLen = new int[parts];
    byte[][] hashes = new byte[parts][];
    int at = 0;
    for (int p = 0; p < parts; p++) {
      byte[] t = texts[p];
      boolean compress = layout.compressed()[p] && t.length > 0;
      byte[] z = compress ? zstd(t) : new byte[0];
      byte[] g = compress ? gzip(t) : new byte[0];
      blocks[p * 3] = t;
      blocks[p * 3 + 1] = z;
      blocks[p * 3 + 2] = g;
      textAt[p] = at;
      textLen[p] = t.length;
      at += t.length;
      zstAt[p] = at;
      zstLen[p] = z.length;
      at += z.length;
      gzAt[p] = at;
      gzLen[p] = g.length;
      at += g.length;
      hashes[p] = sha256(t);
    }
    SegmentFiles.Mapped file = files.write(blocks);
    return new Segment(keys, starts, lengths, file, textAt, textLen, zstAt, zstLen, gzAt, gzLen, hashes);
  }

  /** One frame that declares its size, as every zstd reader handles; frames concatenate into one stream. */
  static byte[] zstd(byte[] data) {
    return Zstd.compress(data, ZSTD_LEVEL);
  }

  /** One gzip member with no timestamp, so equal text gives equal bytes; members concatenate (RFC 1952 §2.2). */
  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length / 5));
    try (GZIPOutputStream gz = new GZIPOutputStream(out, 65536) {
      {
        def.setLevel(GZIP_LEVEL);
        def.setStrategy(Deflater.DEFAULT_STRATEGY);
      }
    }) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
