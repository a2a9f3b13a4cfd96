package io.wharf.server.db;

import java.util.ArrayList;
import java.util.List;

/**
 * Values for an {@code IN (<list>)} whose length varies from call to call (a batch's names, say). Each length
 * renders a statement of its own, which the SQL parser reads and caches by its text; lengths rounded up to a
 * power of two, by repeating the last value (a value twice in an {@code IN} list changes nothing), keep a
 * statement to a handful of texts, where hundreds of lengths would push each other out of the parser's cache
 * and have it parse again on most calls.
 */
public final class InLists {
  private InLists() {}

  /** {@code values} (not empty), lengthened to the next power of two with copies of its last value. */
  public static <T> List<T> padded(List<T> values) {
    int n = values.size();
    if (n == 0) {
      throw new IllegalArgumentException("an IN list needs a value");
    }
    int size = Integer.highestOneBit(n) == n ? n : Integer.highestOneBit(n) << 1;
    if (size == n) {
      return values;
    }
    List<T> out = new ArrayList<>(size);
    out.addAll(values);
    T last = values.get(n - 1);
    while (out.size() < size) {
      out.add(last);
    }
    return out;
  }
}
