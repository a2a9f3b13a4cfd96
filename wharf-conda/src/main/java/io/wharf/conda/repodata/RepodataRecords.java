package io.wharf.conda.repodata;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/** Turns a package's {@code info/index.json} into its repodata record (CONDA.md §2). */
public final class RepodataRecords {

  /**
   * Keys conda-index removes from index.json ({@code conda_index/index/cache.py}). rattler-index keeps
   * {@code arch} and {@code platform}; we drop them like conda-index because the real repodata in conda's
   * test channel (zlib-1.2.11-h7b6447c_3, whose index.json carries arch "x86_64" and platform "linux")
   * lists the record without them, and every client accepts either form.
   */
  static final List<String> DROPPED_KEYS = List.of(
      "arch", "platform", "has_prefix", "mtime", "ucs", "requires_features", "binstar",
      "target-triplet", "machine", "operatingsystem");


  private RepodataRecords() {}

  /**
   * The record served in repodata: index.json as-is minus {@link #DROPPED_KEYS}, plus the artifact's
   * checksums and size. Values are otherwise untouched: conda-index does not rewrite the legacy
   * {@code "noarch": true} to "generic" (clients read both), nor timestamps from seconds to ms.
   */
  public static ObjectNode form(ObjectNode indexJson, String md5, String sha256, long size) {
    String md5Hex = md5.toLowerCase(Locale.ROOT);
    String sha256Hex = sha256.toLowerCase(Locale.ROOT);
    if (!isHex(md5Hex, 32, true)) {
      throw new IllegalArgumentException("md5 must be 32 hex digits");
    }
    if (!isHex(sha256Hex, 64, true)) {
      throw new IllegalArgumentException("sha256 must be 64 hex digits");
    }
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative");
    }
    ObjectNode record = indexJson.deepCopy();
    record.remove(DROPPED_KEYS);
    record.put("md5", md5Hex);
    record.put("sha256", sha256Hex);
    // an int node when it fits, as Jackson reads it back, so a formed record equals its parsed JSON
    if (size <= Integer.MAX_VALUE) {
      record.put("size", (int) size);
    } else {
      record.put("size", size);
    }
    return record;
  }

  /**
   * Compact JSON with keys sorted at every level, i.e. Python's
   * {@code json.dumps(record, sort_keys=True, separators=(",", ":"))}. These are the bytes stored per
   * record and concatenated into repodata.json, so the same record always yields the same text.
   */
  public static String toJson(ObjectNode record) {
    return JsonText.compact(record);
  }

  /**
   * Whether {@code s} is {@code length} ASCII hex digits, lowercase only when {@code lowercase}; by hand, as every
   * stored record is formed and every shard record packed with this check.
   */
  static boolean isHex(String s, int length, boolean lowercase) {
    if (s.length() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (!lowercase && c >= 'A' && c <= 'F'))) {
        return false;
      }
    }
    return true;
  }
}
