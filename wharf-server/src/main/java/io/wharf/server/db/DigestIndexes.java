package io.wharf.server.db;

import java.util.Collection;
import java.util.List;

/**
 * How SQL finds rows by a SHA-256 or a content-addressed blob key ({@code sha256/ab/<hex>}) through an index of a
 * short tag of the key: its first eight hex digits ({@code package_files_blob_tag}, {@code passive_blobs_sha256_tag};
 * migration V41). {@link #BLOB_KEY} is for blob key columns, {@link #SHA256} for SHA-256 columns; they differ only
 * in where the digest starts.
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
public enum DigestIndexes {
  /** Blob keys {@code sha256/ab/<hex>}: the digest starts at the 11th character. */
  BLOB_KEY(11),
  /** SHA-256s in hex. */
  SHA256(1);

  private static final int DIGITS = 8;
  /** Where the tag starts, counted from 1 as SQL's {@code substr} counts. */
  private final int start;

  DigestIndexes(int start) {
    this.start = start;
  }

  /** A condition: column {@code column} equals the SQL expression {@code key} (a parameter or a column). */
  public String is(String column, String key) {
    return tag(column) + " = " + tag(key) + " AND " + column + " || '' = " + key;
  }

  /**
   * A condition: column {@code column} is one of the keys bound to list {@code keys}, whose tags ({@link #tags})
   * are bound to list {@code tags} (Jdbi's {@code <list>} syntax).
   */
  public String in(String column, String tags, String keys) {
    return tag(column) + " IN (<" + tags + ">) AND " + column + " || '' IN (<" + keys + ">)";
  }

  /** What the indexed expression gives for this key. */
  public String tagOf(String key) {
    int from = start - 1; // keys and digests are ASCII: SQL's characters are Java's chars here
    return key.length() <= from ? "" : key.substring(from, Math.min(key.length(), from + DIGITS));
  }

  /** The distinct tags of these keys, to bind beside them for {@link #in}. */
  public List<String> tags(Collection<String> keys) {
    return keys.stream().map(this::tagOf).distinct().toList();
  }

  // the indexed expression (V41), over a column or a bound value
  private String tag(String expression) {
    return "substr(" + expression + ", " + start + ", " + DIGITS + ")";
  }
}
