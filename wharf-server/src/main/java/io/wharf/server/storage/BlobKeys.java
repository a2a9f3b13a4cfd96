package io.wharf.server.storage;

import java.io.EOFException;
import java.util.regex.Pattern;

/**
 * The one place that decides what a blob key may look like. Keys end up as file paths and object names,
 * so anything that could climb out of the store root (absolute paths, "..", backslashes, odd Unicode) is
 * refused outright rather than normalised.
 */
public final class BlobKeys {

  public static final int MAX_LENGTH = 1024;

  /** First segment the file store keeps for in-flight uploads; no key may live there, in any store. */
  public static final String RESERVED_SEGMENT = ".tmp";

  private static final Pattern PREFIX_CHARS = Pattern.compile("[A-Za-z0-9._+/-]*");

  private BlobKeys() {}

  public static String requireValid(String key) {
    String problem = problem(key);
    if (problem != null) {
      throw new IllegalArgumentException("invalid blob key " + quote(key) + ": " + problem);
    }
    return key;
  }

  public static boolean isValid(String key) {
    return problem(key) == null;
  }

  /**
   * A list prefix is any leading part of a valid key (it may end in "/" or inside a segment), or "".
   * Whole segments must already obey the key rules so a prefix can never name ".." or an absolute path.
   */
  public static String requireValidPrefix(String prefix) {
    if (prefix == null) {
      throw new IllegalArgumentException("blob key prefix is null");
    }
    if (prefix.isEmpty()) {
      return prefix;
    }
    if (prefix.length() > MAX_LENGTH || !PREFIX_CHARS.matcher(prefix).matches()) {
      throw new IllegalArgumentException("invalid blob key prefix " + quote(prefix));
    }
    int lastSlash = prefix.lastIndexOf('/');
    String complete = lastSlash < 0 ? null : prefix.substring(0, lastSlash);
    if (complete != null && !isValid(complete)) {
      throw new IllegalArgumentException("invalid blob key prefix " + quote(prefix) + ": " + problem(complete));
    }
    return prefix;
  }

  /** Checks offset/length arguments of openRange; the end is checked against the object by each store. */
  public static void requireValidRange(long offset, long length) {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("negative range: offset " + offset + ", length " + length);
    }
    if (offset > Long.MAX_VALUE - length) {
      throw new IllegalArgumentException("range overflows: offset " + offset + ", length " + length);
    }
  }

  public static EOFException rangePastEnd(String key, long offset, long length, long size) {
    return new EOFException(
        "range [" + offset + ", " + (offset + length) + ") is past the end of " + key + " (" + size + " bytes)");
  }

  private static String problem(String key) {
    if (key == null) {
      return "null";
    }
    if (key.isEmpty()) {
      return "empty";
    }
    if (key.length() > MAX_LENGTH) {
      return "longer than " + MAX_LENGTH + " characters";
    }
    String[] segments = key.split("/", -1);
    for (String segment : segments) {
      if (segment.isEmpty()) {
        return "empty segment (leading, trailing or doubled '/')";
      }
      if (segment.equals(".") || segment.equals("..")) {
        return "'.' and '..' segments are not allowed";
      }
      if (!isSegment(segment)) {
        return "segments may only contain A-Z a-z 0-9 . _ + -";
      }
    }
    if (segments[0].equals(RESERVED_SEGMENT)) {
      return "'" + RESERVED_SEGMENT + "' is reserved for uploads in progress";
    }
    return null;
  }

  /** A-Z a-z 0-9 . _ + - only; by hand, as every blob read and write checks its key. */
  private static boolean isSegment(String segment) {
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
          || c == '+' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  private static String quote(String key) {
    if (key == null) {
      return "null";
    }
    String shown = key.length() > 80 ? key.substring(0, 80) + "..." : key;
    // keep control characters out of log lines
    return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
  }
}
