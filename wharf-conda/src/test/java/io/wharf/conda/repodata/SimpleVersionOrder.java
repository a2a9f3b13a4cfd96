package io.wharf.conda.repodata;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A small stand-in for conda's VersionOrder (CONDA.md §5.1), enough to drive the builders in tests:
 * epoch, dot/underscore components, digit and letter runs, implicit leading 0 before letters, padding
 * with 0, integers above strings, "post" above everything and "dev" below other strings. Local
 * versions are ignored.
 */
final class SimpleVersionOrder implements Comparator<String> {

  static final SimpleVersionOrder INSTANCE = new SimpleVersionOrder();

  private static final Object POST = new Object();
  private static final String DEV = "DEV";

  @Override
  public int compare(String a, String b) {
    List<Object> x = parse(a);
    List<Object> y = parse(b);
    for (int i = 0; i < Math.max(x.size(), y.size()); i++) {
      Object p = i < x.size() ? x.get(i) : BigInteger.ZERO;
      Object q = i < y.size() ? y.get(i) : BigInteger.ZERO;
      int c = compareAtoms(p, q);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  private static int compareAtoms(Object p, Object q) {
    if (p == POST || q == POST) {
      return p == q ? 0 : (p == POST ? 1 : -1);
    }
    if (p instanceof BigInteger i && q instanceof BigInteger j) {
      return i.compareTo(j);
    }
    if (p instanceof BigInteger) {
      return 1;
    }
    if (q instanceof BigInteger) {
      return -1;
    }
    return ((String) p).compareTo((String) q);
  }

  private static List<Object> parse(String version) {
    String v = version.strip().toLowerCase(Locale.ROOT);
    int plus = v.indexOf('+');
    if (plus >= 0) {
      v = v.substring(0, plus);
    }
    List<Object> atoms = new ArrayList<>();
    int bang = v.indexOf('!');
    atoms.add(bang >= 0 ? new BigInteger(v.substring(0, bang)) : BigInteger.ZERO);
    v = bang >= 0 ? v.substring(bang + 1) : v;
    // every component contributes a fixed-width group so that padding lines up component-wise
    for (String component : v.split("[._]")) {
      List<Object> runs = new ArrayList<>();
      int i = 0;
      while (i < component.length()) {
        int j = i;
        boolean digits = Character.isDigit(component.charAt(i));
        while (j < component.length() && Character.isDigit(component.charAt(j)) == digits) {
          j++;
        }
        String run = component.substring(i, j);
        runs.add(digits ? new BigInteger(run) : run.equals("post") ? POST : run.equals("dev") ? DEV : run);
        i = j;
      }
      if (runs.isEmpty() || !(runs.get(0) instanceof BigInteger)) {
        runs.add(0, BigInteger.ZERO);
      }
      while (runs.size() < 8) {
        runs.add(BigInteger.ZERO);
      }
      atoms.addAll(runs.subList(0, 8));
    }
    return atoms;
  }
}
