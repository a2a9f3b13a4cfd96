package io.wharf.server.db;

/**
 * How SQL finds rows by a SHA-256 or a content-addressed blob key ({@code sha256/ab/<hex>}) through an index of a
 * short tag of the key: its first eight hex digits ({@code package_files_blob_tag}, {@code passive_blobs_sha256_tag};
 * migration V41).
 *
 * <p>Such keys arrive in no order, so every insert into an index of the whole key lands on a random page of it; a
 * mirror writing thousands of rows a transaction then dirtied nearly every page of two indexes of 70-byte entries
 * per commit (SQLite writes each dirty page to its log, then to the database file). Eight hex digits (32 bits) make
 * entries a fifth of that size while a tag still names one key in billions; the full key is compared on the rows
 * the tag finds. Older keys ({@code packages/...}) stay correct, only less selective.
 *
 * <p>The full-key comparison is written {@code column || '' = key}: on a plain {@code column = key} SQLite
 * propagates the constant into the tag expression, which then no longer matches the index, and scans the table.
 */
public final class DigestIndexes {
  private DigestIndexes() {}

  /** A condition: blob key column {@code column} equals the SQL expression {@code key} (a parameter or column). */
  public static String blobKeyIs(String column, String key) {
    return "substr(" + column + ", 11, 8) = substr(" + key + ", 11, 8) AND " + column + " || '' = " + key;
  }

  /**
   * A condition: blob key column {@code column} is one of the keys bound to list {@code keys}, whose tags
   * ({@link #blobKeyTag}) are bound to list {@code tags} (Jdbi's {@code <list>} syntax).
   */
  public static String blobKeyIn(String column, String tags, String keys) {
    return "substr(" + column + ", 11, 8) IN (<" + tags + ">) AND " + column + " || '' IN (<" + keys + ">)";
  }

  /** What SQL's {@code substr(key, 11, 8)} gives for this key. */
  public static String blobKeyTag(String key) {
    return slice(key, 10);
  }

  /** A condition: SHA-256 column {@code column} equals the SQL expression {@code sha256}. */
  public static String sha256Is(String column, String sha256) {
    return "substr(" + column + ", 1, 8) = substr(" + sha256 + ", 1, 8) AND " + column + " || '' = " + sha256;
  }

  /** {@link #blobKeyIn} for a SHA-256 column; tags from {@link #sha256Tag}. */
  public static String sha256In(String column, String tags, String sha256s) {
    return "substr(" + column + ", 1, 8) IN (<" + tags + ">) AND " + column + " || '' IN (<" + sha256s + ">)";
  }

  /** What SQL's {@code substr(sha256, 1, 8)} gives for this digest. */
  public static String sha256Tag(String sha256) {
    return slice(sha256, 0);
  }

  // substr counts characters from 1; keys and digests are ASCII, so characters are chars here
  private static String slice(String s, int from) {
    return s.length() <= from ? "" : s.substring(from, Math.min(s.length(), from + 8));
  }
}
