package io.wharf.server.index.store;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * An immutable run of consecutive keys of a {@link SegmentedDoc} with, for each part, the joined text of
 * their values (and its zstd frame and gzip member where the part is compressed) in one mapped file.
 * Only the keys and offsets are on the heap.
 */
public final class Segment {
  final String[] keys;
  /** [part][key] start and length of the key's value inside the part's text; length 0 means no value. */
  final int[][] starts;
  final int[][] lengths;
  private final SegmentFiles.Mapped file;
  private final int[] textAt;
  private final int[] textLen;
  private final int[] zstAt;
  private final int[] zstLen;
  private final int[] gzAt;
  private final int[] gzLen;
  /** SHA-256 of each part's text, so a document's ETag is a hash of hashes, not of its bytes. */
  private final byte[][] hashes;

  Segment(String[] keys, int[][] starts, int[][] lengths, SegmentFiles.Mapped file, int[] textAt, int[] textLen,
      int[] zstAt, int[] zstLen, int[] gzAt, int[] gzLen, byte[][] hashes) {
    this.keys = keys;
    this.starts = starts;
    this.lengths = lengths;
    this.file = file;
    this.textAt = textAt;
    this.textLen = textLen;
    this.zstAt = zstAt;
    this.zstLen = zstLen;
    this.gzAt = gzAt;
    this.gzLen = gzLen;
    this.hashes = hashes;
  }

  public String lastKey() {
    return keys[keys.length - 1];
  }

  /** The keys of this segment, in order. */
  public java.util.List<String> keys() {
    return java.util.List.of(keys);
  }

  public int size() {
    return keys.length;
  }

  int indexOf(String key) {
    return Arrays.binarySearch(keys, key);
  }

  /** The value of {@code key} in {@code part}, or null when the key is absent or its value empty. */
  public ByteBuffer value(int part, String key) {
    int i = indexOf(key);
    if (i < 0 || lengths[part][i] == 0) {
      return null;
    }
    return file.slice(textAt[part] + starts[part][i], lengths[part][i]);
  }

  ByteBuffer valueAt(int part, int i) {
    return lengths[part][i] == 0 ? null : file.slice(textAt[part] + starts[part][i], lengths[part][i]);
  }

  /** SHA-256 of the part's text. */
  public byte[] hash(int part) {
    return hashes[part].clone();
  }

  public boolean isEmpty(int part) {
    return textLen[part] == 0;
  }

  public ByteBuffer text(int part) {
    return file.slice(textAt[part], textLen[part]);
  }

  public ByteBuffer zst(int part) {
    return file.slice(zstAt[part], zstLen[part]);
  }

  public ByteBuffer gz(int part) {
    return file.slice(gzAt[part], gzLen[part]);
  }

  public int textLength(int part) {
    return textLen[part];
  }

  public int zstLength(int part) {
    return zstLen[part];
  }

  public int gzLength(int part) {
    return gzLen[part];
  }

  public void release() {
    file.release();
  }
}
