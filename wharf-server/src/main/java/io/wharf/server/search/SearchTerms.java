package io.wharf.server.search;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Turning user text into safe lookup keys, and the name-distance rule for misspellings. */
public final class SearchTerms {
  /** Longer queries are cut: no package name or useful phrase is this long, and work grows with length. */
  public static final int MAX_QUERY_CODE_POINTS = 100;
  /** Longer names keep only themselves as variant, bounding the rows one name adds. */
  public static final int MAX_VARIANT_NAME_CODE_POINTS = 64;
  /** The trigram index cannot look up shorter strings. */
  public static final int MIN_TRIGRAM_CODE_POINTS = 3;
  /** At most this many words of a text query are used. */
  public static final int MAX_TEXT_WORDS = 8;

  private SearchTerms() {}

  /** Control characters removed, whitespace collapsed, trimmed, cut to length, lower-cased. */
  public static String normalize(String text) {
    StringBuilder sb = new StringBuilder();
    int count = 0;
    boolean space = false;
    for (int i = 0; i < text.length() && count < MAX_QUERY_CODE_POINTS; ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
        space = sb.length() > 0;
        continue;
      }
      if (Character.isISOControl(cp) || Character.getType(cp) == Character.SURROGATE) {
        continue;
      }
      if (space) {
        sb.append(' ');
        count++;
        space = false;
      }
      sb.appendCodePoint(cp);
      count++;
    }
    return sb.toString().toLowerCase(Locale.ROOT);
  }

  public static String nameKey(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  public static int length(String s) {
    return s.codePointCount(0, s.length());
  }

  /** Misspellings allowed: one edit for queries up to 4 characters, two for longer ones. */
  public static int maxEdits(String query) {
    return length(query) <= 4 ? 1 : 2;
  }

  /**
   * Edits allowed between the query and the start of a longer name: none below 5 characters (one edit
   * to a short query would reach the prefix of most names), one up to 8, two from 9. The thresholds
   * are the ones Meilisearch uses by default for typos in words it matches as prefixes.
   */
  public static int maxPrefixEdits(String query) {
    int n = length(query);
    return n < 5 ? 0 : n < 9 ? 1 : 2;
  }

  /** The string itself and each string with one code point deleted. */
  public static Set<String> deletionVariants(String s) {
    Set<String> variants = new LinkedHashSet<>();
    variants.add(s);
    if (length(s) > MAX_VARIANT_NAME_CODE_POINTS) {
      return variants;
    }
    for (int i = 0; i < s.length(); ) {
      int next = i + Character.charCount(s.codePointAt(i));
      variants.add(s.substring(0, i) + s.substring(next));
      i = next;
    }
    return variants;
  }

  /**
   * Pieces of the query to look up as substrings of names, for names {@code maxEdits} edits away.
   * Split into maxEdits + 1 disjoint pieces, one piece survives any maxEdits insertions, deletions or
   * substitutions intact (the pigeonhole filter of approximate string matching). A transposition
   * across a boundary breaks two pieces, so a second split with every boundary one character later
   * is added. Queries too short for pieces of three characters (the trigram index's minimum) use a
   * leading and a trailing piece, which finds names whose edits all fall on one side.
   */
  public static List<String> pieces(String query, int maxEdits) {
    int[] cps = query.codePoints().toArray();
    int n = cps.length;
    Set<String> pieces = new LinkedHashSet<>();
    int parts = maxEdits + 1;
    if (n >= parts * MIN_TRIGRAM_CODE_POINTS) {
      for (int shift = 0; shift <= 1; shift++) {
        List<String> split = new ArrayList<>();
        for (int i = 0; i < parts; i++) {
          int from = i == 0 ? 0 : i * n / parts + shift;
          int to = i == parts - 1 ? n : (i + 1) * n / parts + shift;
          if (to - from >= MIN_TRIGRAM_CODE_POINTS) {
            split.add(new String(cps, from, to - from));
          }
        }
        if (split.size() == parts) {
          pieces.addAll(split);
        }
      }
    } else if (n > MIN_TRIGRAM_CODE_POINTS) {
      int head = Math.max(MIN_TRIGRAM_CODE_POINTS, n / 2);
      int tail = Math.max(MIN_TRIGRAM_CODE_POINTS, n - n / 2);
      pieces.add(new String(cps, 0, head));
      pieces.add(new String(cps, n - tail, tail));
    }
    return new ArrayList<>(pieces);
  }

  /** Words of a normalized query, at most {@link #MAX_TEXT_WORDS}. */
  public static List<String> words(String normalized) {
    List<String> words = new ArrayList<>();
    for (String w : normalized.split(" ")) {
      if (!w.isEmpty() && words.size() < MAX_TEXT_WORDS && !words.contains(w)) {
        words.add(w);
      }
    }
    return words;
  }

  /**
   * The smallest string greater than every string starting with {@code prefix}, in code point order
   * (SQLite's BINARY collation and PostgreSQL's "C" both compare UTF-8 bytes, which orders the same);
   * null when there is none.
   */
  public static String prefixUpperBound(String prefix) {
    int[] cps = prefix.codePoints().toArray();
    for (int i = cps.length - 1; i >= 0; i--) {
      int next = cps[i] + 1;
      if (next >= Character.MIN_SURROGATE && next <= Character.MAX_SURROGATE) {
        next = Character.MAX_SURROGATE + 1;
      }
      if (next <= Character.MAX_CODE_POINT) {
        cps[i] = next;
        return new String(cps, 0, i + 1);
      }
    }
    return null;
  }

  /**
   * A LIKE pattern for "contains", for use with {@code ESCAPE '!'}: the wildcards of the input are
   * escaped. Not a backslash, which Jdbi's statement parser reads as escaping the closing quote.
   */
  public static String likeContains(String s) {
    return "%" + s.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
  }

  /** An FTS5 string: double quotes make any text a literal phrase; inner quotes are doubled. */
  public static String ftsString(String s) {
    return "\"" + s.replace("\"", "\"\"") + "\"";
  }

  /**
   * Optimal string alignment distance (Levenshtein plus adjacent transpositions, each substring edited
   * once), or {@code max + 1} as soon as it must exceed {@code max}.
   */
  public static int distance(String a, String b, int max) {
    int[] x = a.codePoints().toArray();
    int[] y = b.codePoints().toArray();
    if (Math.abs(x.length - y.length) > max) {
      return max + 1;
    }
    int[] last = lastRow(x, y, max);
    return last == null ? max + 1 : Math.min(last[y.length], max + 1);
  }

  /**
   * The smallest {@link #distance} between {@code query} and a prefix of {@code name} (the whole name
   * included), or {@code max + 1} as soon as it must exceed {@code max}: how far the query is from
   * the start of the name when the rest of the name is not typed yet.
   */
  public static int prefixDistance(String query, String name, int max) {
    int[] x = query.codePoints().toArray();
    int[] y = name.codePoints().limit(x.length + max).toArray(); // longer prefixes need more deletions
    if (x.length - y.length > max) {
      return max + 1;
    }
    int[] last = lastRow(x, y, max);
    if (last == null) {
      return max + 1;
    }
    int best = max + 1;
    for (int d : last) {
      best = Math.min(best, d);
    }
    return best;
  }

  /**
   * The last row of the optimal string alignment table: entry j is the distance between x and the
   * first j code points of y. Null once a whole row exceeds max, since later rows cannot go lower.
   */
  private static int[] lastRow(int[] x, int[] y, int max) {
    int[] before = new int[y.length + 1];
    int[] prev = new int[y.length + 1];
    int[] cur = new int[y.length + 1];
    for (int j = 0; j <= y.length; j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= x.length; i++) {
      cur[0] = i;
      int rowMin = cur[0];
      for (int j = 1; j <= y.length; j++) {
        int cost = x[i - 1] == y[j - 1] ? 0 : 1;
        int d = Math.min(Math.min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
        if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1]) {
          d = Math.min(d, before[j - 2] + 1);
        }
        cur[j] = d;
        rowMin = Math.min(rowMin, d);
      }
      if (rowMin > max) {
        return null;
      }
      int[] t = before;
      before = prev;
      prev = cur;
      cur = t;
    }
    return prev;
  }
}
