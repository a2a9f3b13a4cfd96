package io.wharf.server.index.store;

import java.nio.charset.StandardCharsets;

/**
 * The parts a segmented document keeps per key, and how each part's values are joined: the values of a
 * part are concatenated in key order with the part's separator between non-empty values (a JSON comma
 * for record maps, nothing for line-based tables). Compressed parts also keep a zstd frame and a gzip
 * member of each segment's text, so the compressed document is the concatenation of per-segment frames.
 */
public record Layout(byte[][] separators, boolean[] compressed) {

  public static Layout of(String[] separators, boolean[] compressed) {
    byte[][] seps = new byte[separators.length][];
    for (int i = 0; i < separators.length; i++) {
      seps[i] = separators[i].getBytes(StandardCharsets.UTF_8);
    }
    return new Layout(seps, compressed.clone());
  }

  public int parts() {
    return separators.length;
  }
}
