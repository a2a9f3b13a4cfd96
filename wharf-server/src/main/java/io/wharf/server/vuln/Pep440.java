package io.wharf.server.vuln;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Orders PyPI versions by PEP 440 ("Version specifiers", packaging.python.org): epoch, release (trailing
 * zeros ignored), then a development release before its pre-releases, pre-releases (a < b < rc) before the
 * release, post-releases after it; local labels sort after the public version they extend. Alternative
 * spellings are normalised as the PEP describes (alpha, beta, c, pre, preview, rev, r, separators). Text that
 * is not a PEP 440 version sorts before every valid one, by string, so that a bad range never matches widely.
 */
public final class Pep440 {
  public static final Comparator<String> COMPARATOR = Pep440::compare;

  private static final Pattern VERSION = Pattern.compile(
      "v?(?:(\\d+)!)?(\\d+(?:\\.\\d+)*)"
          + "(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\\d*))?"
          + "(?:-(\\d+)|[-_.]?(post|rev|r)[-_.]?(\\d*))?"
          + "(?:[-_.]?(dev)[-_.]?(\\d*))?"
          + "(?:\\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?");

  private Pep440() {}

  /** A parsed version, or null if the text is not PEP 440. */
  record Key(BigInteger epoch, List<BigInteger> release, int preKind, BigInteger pre, BigInteger post,
      BigInteger dev, String local) {}

  static Key parse(String text) {
    Matcher m = VERSION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      return null;
    }
    List<BigInteger> release = new ArrayList<>();
    for (String part : m.group(2).split("\\.")) {
      release.add(new BigInteger(part));
    }
    while (release.size() > 1 && release.get(release.size() - 1).signum() == 0) {
      release.remove(release.size() - 1);
    }
    int preKind = 3;
    BigInteger pre = BigInteger.ZERO;
    if (m.group(3) != null) {
      preKind = switch (m.group(3)) {
        case "a", "alpha" -> 0;
        case "b", "beta" -> 1;
        default -> 2;
      };
      pre = number(m.group(4));
    }
    BigInteger post = null;
    if (m.group(5) != null) {
      post = new BigInteger(m.group(5));
    } else if (m.group(6) != null) {
      post = number(m.group(7));
    }
    BigInteger dev = m.group(8) == null ? null : number(m.group(9));
    if (preKind == 3 && post == null && dev != null) {
      preKind = -1; // 1.0.dev1 comes before 1.0a1
    }
    return new Key(m.group(1) == null ? BigInteger.ZERO : new BigInteger(m.group(1)), release, preKind, pre, post,
        dev, m.group(10));
  }

  private static BigInteger number(String digits) {
    return digits == null || digits.isEmpty() ? BigInteger.ZERO : new BigInteger(digits);
  }

  public static boolean isValid(String text) {
    return text != null && parse(text) != null;
  }

  public static int compare(String a, String b) {
    Key x = parse(a);
    Key y = parse(b);
    if (x == null || y == null) {
      return x == null && y == null ? a.compareTo(b) : x == null ? -1 : 1;
    }
    int c = x.epoch().compareTo(y.epoch());
    if (c == 0) {
      c = compareRelease(x.release(), y.release());
    }
    if (c == 0) {
      c = Integer.compare(x.preKind(), y.preKind());
    }
    if (c == 0 && x.preKind() >= 0 && x.preKind() < 3) {
      c = x.pre().compareTo(y.pre());
    }
    if (c == 0) {
      c = absentFirst(x.post(), y.post());
    }
    if (c == 0) {
      c = absentLast(x.dev(), y.dev());
    }
    if (c == 0) {
      c = compareLocal(x.local(), y.local());
    }
    return c;
  }

  private static int compareRelease(List<BigInteger> a, List<BigInteger> b) {
    for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
      BigInteger x = i < a.size() ? a.get(i) : BigInteger.ZERO;
      BigInteger y = i < b.size() ? b.get(i) : BigInteger.ZERO;
      int c = x.compareTo(y);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  private static int absentFirst(BigInteger a, BigInteger b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : -1) : 1;
    }
    return a.compareTo(b);
  }

  private static int absentLast(BigInteger a, BigInteger b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : 1) : -1;
    }
    return a.compareTo(b);
  }

  /** Local segments: numeric ones sort above alphanumeric ones and compare as numbers; more segments win ties. */
  private static int compareLocal(String a, String b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : -1) : 1;
    }
    String[] x = a.split("[-_.]");
    String[] y = b.split("[-_.]");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      boolean xn = x[i].chars().allMatch(Character::isDigit);
      boolean yn = y[i].chars().allMatch(Character::isDigit);
      int c = xn && yn ? new BigInteger(x[i]).compareTo(new BigInteger(y[i]))
          : xn != yn ? (xn ? 1 : -1) : x[i].compareTo(y[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.length, y.length);
  }
}
