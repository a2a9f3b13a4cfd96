package io.wharf.server.vuln;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loose order for the versions in NVD CPE ranges, which follow no one scheme: runs of digits compare as
 * numbers, runs of letters as text, a number sorts above letters at the same place, and a version that stops
 * earlier sorts first unless all it lacks is zeros. So OpenSSL's letter releases come after their base
 * ({@code 1.1.1 < 1.1.1s < 1.1.1t}), which conda's version order (where letters mean pre-releases) would not
 * give; pre-release suffixes such as {@code rc1} sort after the release, a known imprecision.
 */
final class CpeVersions {
  static final Comparator<String> COMPARATOR = CpeVersions::compare;
  private static final Pattern TOKEN = Pattern.compile("\\d+|[a-z]+");

  private CpeVersions() {}

  static int compare(String a, String b) {
    List<String> x = tokens(a);
    List<String> y = tokens(b);
    for (int i = 0; i < Math.max(x.size(), y.size()); i++) {
      if (i >= x.size() || i >= y.size()) {
        List<String> rest = i >= x.size() ? y.subList(i, y.size()) : x.subList(i, x.size());
        if (rest.stream().allMatch(t -> t.chars().allMatch(c -> c == '0'))) {
          return 0;
        }
        return i >= x.size() ? -1 : 1;
      }
      int c = compareToken(x.get(i), y.get(i));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  private static int compareToken(String a, String b) {
    boolean an = Character.isDigit(a.charAt(0));
    boolean bn = Character.isDigit(b.charAt(0));
    if (an && bn) {
      return new BigInteger(a).compareTo(new BigInteger(b));
    }
    return an == bn ? a.compareTo(b) : (an ? 1 : -1);
  }

  private static List<String> tokens(String v) {
    List<String> out = new ArrayList<>();
    Matcher m = TOKEN.matcher(v.toLowerCase(Locale.ROOT));
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }
}
