package io.wharf.conda.repodata;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Just enough of a MatchSpec (CEP 29, CONDA.md §5.2) to decide whether a dependency is satisfied while
 * trimming current_repodata.json: name, version clauses ({@code ,} AND, {@code |} OR, comparison
 * operators, {@code =V}/{@code V*} prefix, bare exact) and a build glob. Anything it does not understand
 * (parentheses, regexes, {@code [key=value]} brackets) matches every version, which errs towards keeping
 * more records — always safe for current_repodata, which clients fall back from anyway.
 */
final class LooseMatchSpec {

  private final String name;
  private final String versionSpec;
  private final Pattern build;

  private LooseMatchSpec(String name, String versionSpec, Pattern build) {
    this.name = name;
    this.versionSpec = versionSpec;
    this.build = build;
  }

  String name() {
    return name;
  }

  static LooseMatchSpec parse(String spec) {
    String s = spec.strip();
    int channelSep = s.indexOf("::");
    if (channelSep >= 0) {
      s = s.substring(channelSep + 2);
    }
    int bracket = s.indexOf('[');
    if (bracket >= 0) {
      s = s.substring(0, bracket); // bracket options are ignored: accept any version
    }
    int end = 0;
    while (end < s.length() && " <>=!~;".indexOf(s.charAt(end)) < 0) {
      end++;
    }
    String name = s.substring(0, end).toLowerCase(Locale.ROOT);
    String rest = s.substring(end).strip();
    String version = null;
    String build = null;
    if (rest.startsWith("=") && !rest.startsWith("==")) {
      // name=1.8 means 1.8.* and name=1.8=build pins the build (CONDA.md §5.2)
      String[] parts = rest.substring(1).split("=", 2);
      version = parts[0].strip().isEmpty() ? null : "=" + parts[0].strip();
      build = parts.length > 1 ? parts[1].strip() : null;
    } else if (!rest.isEmpty()) {
      String[] parts = rest.split("\\s+");
      // "python >= 3.6" style: operator separated from its version by whitespace
      List<String> joined = new ArrayList<>();
      for (String p : parts) {
        if (!joined.isEmpty() && joined.get(joined.size() - 1).matches(".*[<>=!~,|]")) {
          joined.set(joined.size() - 1, joined.get(joined.size() - 1) + p);
        } else {
          joined.add(p);
        }
      }
      version = joined.get(0);
      build = joined.size() > 1 ? joined.get(1) : null;
    }
    return new LooseMatchSpec(name, version, build == null ? null : glob(build));
  }

  boolean matches(String recordVersion, String recordBuild, Comparator<String> order) {
    if (build != null && (recordBuild == null || !build.matcher(recordBuild).matches())) {
      return false;
    }
    if (versionSpec == null || recordVersion == null) {
      return versionSpec == null;
    }
    String v = recordVersion.toLowerCase(Locale.ROOT);
    for (String alternative : versionSpec.split("\\|")) {
      boolean all = true;
      for (String clause : alternative.split(",")) {
        if (!clause.isBlank() && !clauseMatchesLeniently(clause.strip().toLowerCase(Locale.ROOT), v, order)) {
          all = false;
          break;
        }
      }
      if (all) {
        return true;
      }
    }
    return false;
  }

  private static boolean clauseMatchesLeniently(String clause, String v, Comparator<String> order) {
    try {
      return clauseMatches(clause, v, order);
    } catch (RuntimeException unparseableVersion) {
      return true; // a version the comparator rejects must not drop records: keep more, not fewer
    }
  }

  private static boolean clauseMatches(String clause, String v, Comparator<String> order) {
    if (clause.equals("*") || clause.contains("(") || clause.startsWith("^")) {
      return true;
    }
    for (String op : new String[] {"==", "!=", ">=", "<=", "~=", ">", "<", "="}) {
      if (clause.startsWith(op)) {
        String target = clause.substring(op.length()).strip();
        boolean starred = target.endsWith("*");
        String bare = stripStar(target);
        switch (op) {
          case "==":
            return starred ? prefixMatch(bare, v) : order.compare(v, bare) == 0;
          case "!=":
            return starred ? !prefixMatch(bare, v) : order.compare(v, bare) != 0;
          case ">=":
            return order.compare(v, bare) >= 0;
          case "<=":
            return order.compare(v, bare) <= 0;
          case ">":
            return order.compare(v, bare) > 0;
          case "<":
            return order.compare(v, bare) < 0;
          case "~=":
            return order.compare(v, bare) >= 0 && prefixMatch(compatiblePrefix(bare), v);
          default: // "=": prefix match
            return prefixMatch(bare, v);
        }
      }
    }
    if (clause.endsWith("*")) {
      String bare = stripStar(clause);
      return bare.contains("*") || prefixMatch(bare, v); // inner globs: accept
    }
    return order.compare(v, clause) == 0;
  }

  private static String stripStar(String target) {
    String t = target;
    while (t.endsWith("*") || t.endsWith(".")) {
      t = t.substring(0, t.length() - 1);
    }
    return t;
  }

  private static String compatiblePrefix(String v) {
    int dot = v.lastIndexOf('.');
    return dot > 0 ? v.substring(0, dot) : v;
  }

  /** Component-wise prefix: 1.8 matches 1.8, 1.8.2 and 1.8a but not 1.80. */
  static boolean prefixMatch(String prefix, String v) {
    if (prefix.isEmpty() || v.equals(prefix)) {
      return true;
    }
    if (!v.startsWith(prefix)) {
      return false;
    }
    char last = prefix.charAt(prefix.length() - 1);
    char next = v.charAt(prefix.length());
    return !(Character.isDigit(last) && Character.isDigit(next));
  }

  private static Pattern glob(String build) {
    StringBuilder regex = new StringBuilder();
    for (char c : build.toCharArray()) {
      regex.append(c == '*' ? ".*" : Pattern.quote(String.valueOf(c)));
    }
    return Pattern.compile(regex.toString());
  }
}
