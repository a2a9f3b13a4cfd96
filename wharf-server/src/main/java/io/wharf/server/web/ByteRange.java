package io.wharf.server.web;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A single byte range from a {@code Range} header (RFC 9110 §14). conda-package-streaming and rattler
 * read {@code .conda} metadata with such ranges. Several ranges, or syntax we do not understand, are
 * answered with the whole file, as the RFC allows; a syntactically valid but unsatisfiable range is 416.
 */
record ByteRange(long start, long length) {
  private static final Pattern SINGLE = Pattern.compile("bytes=(\\d{0,19})-(\\d{0,19})");

  long end() {
    return start + length - 1;
  }

  static final class Unsatisfiable extends Exception {
    Unsatisfiable() {
      super(null, null, false, false);
    }
  }

  /**
   * Up to 19 digits can exceed a long; such a position lies beyond any file, so it counts as the
   * largest long instead of failing the request.
   */
  private static long saturated(String digits) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  static Optional<ByteRange> parse(String header, long size) throws Unsatisfiable {
    if (header == null) {
      return Optional.empty();
    }
    Matcher m = SINGLE.matcher(header.trim());
    if (!m.matches()) {
      return Optional.empty();
    }
    String first = m.group(1);
    String last = m.group(2);
    if (first.isEmpty() && last.isEmpty()) {
      return Optional.empty();
    }
    if (first.isEmpty()) {
      long suffix = saturated(last);
      if (suffix == 0 || size == 0) {
        throw new Unsatisfiable();
      }
      long len = Math.min(suffix, size);
      return Optional.of(new ByteRange(size - len, len));
    }
    long start = saturated(first);
    if (start >= size) {
      throw new Unsatisfiable();
    }
    long end = last.isEmpty() ? size - 1 : Math.min(saturated(last), size - 1);
    if (end < start) {
      return Optional.empty(); // invalid range-spec: ignore the header
    }
    return Optional.of(new ByteRange(start, end - start + 1));
  }
}
