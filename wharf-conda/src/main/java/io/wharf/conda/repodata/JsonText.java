package io.wharf.conda.repodata;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Writes JSON the way Python's {@code json.dumps(obj, sort_keys=True, ...)} does, because conda-index
 * and conda-content-trust produce and verify bytes with exactly that function: keys sorted by code
 * point at every level, Python's float repr, and Python's escaping rules.
 */
final class JsonText {

  /** Python sorts str keys by code point; String.compareTo sorts by UTF-16 unit, which differs above U+FFFF. */
  static final Comparator<String> CODE_POINT_ORDER = JsonText::compareCodePoints;

  private final StringBuilder out;
  private final boolean indent;
  private final boolean ensureAscii;

  private JsonText(StringBuilder out, boolean indent, boolean ensureAscii) {
    this.out = out;
    this.indent = indent;
    this.ensureAscii = ensureAscii;
  }

  /** {@code json.dumps(node, sort_keys=True, separators=(",", ":"), ensure_ascii=False)}. */
  static String compact(JsonNode node) {
    StringBuilder sb = new StringBuilder(256);
    new JsonText(sb, false, false).value(node, 0);
    return sb.toString();
  }

  /** {@code json.dumps(node, indent=2, sort_keys=True, ensure_ascii=...)}. */
  static String indented(JsonNode node, boolean ensureAscii) {
    StringBuilder sb = new StringBuilder(512);
    new JsonText(sb, true, ensureAscii).value(node, 0);
    return sb.toString();
  }

  /** A JSON string literal, quotes included, escaped as Python does with ensure_ascii=False. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2);
    new JsonText(sb, false, false).string(s);
    return sb.toString();
  }

  private void value(JsonNode node, int depth) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      out.append("null");
    } else if (node.isObject()) {
      object(node, depth);
    } else if (node.isArray()) {
      array(node, depth);
    } else if (node.isTextual()) {
      string(node.textValue());
    } else if (node.isBoolean()) {
      out.append(node.booleanValue() ? "true" : "false");
    } else if (node.isIntegralNumber()) {
      out.append(node.bigIntegerValue().toString());
    } else if (node.isNumber()) {
      out.append(pythonFloatRepr(node.doubleValue()));
    } else if (node.isBinary()) {
      // Not produced by JSON parsing; write as Jackson would (base64 text) rather than fail.
      string(node.asText());
    } else {
      throw new IllegalArgumentException("unsupported JSON node type " + node.getNodeType());
    }
  }

  private void object(JsonNode node, int depth) {
    if (node.isEmpty()) {
      out.append("{}");
      return;
    }
    List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(node.properties());
    entries.sort(Map.Entry.comparingByKey(CODE_POINT_ORDER));
    out.append('{');
    boolean first = true;
    for (Map.Entry<String, JsonNode> e : entries) {
      if (!first) {
        out.append(',');
      }
      first = false;
      newline(depth + 1);
      string(e.getKey());
      out.append(indent ? ": " : ":");
      value(e.getValue(), depth + 1);
    }
    newline(depth);
    out.append('}');
  }

  private void array(JsonNode node, int depth) {
    if (node.isEmpty()) {
      out.append("[]");
      return;
    }
    out.append('[');
    for (int i = 0; i < node.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      newline(depth + 1);
      value(node.get(i), depth + 1);
    }
    newline(depth);
    out.append(']');
  }

  private void newline(int depth) {
    if (indent) {
      out.append('\n');
      for (int i = 0; i < depth; i++) {
        out.append("  ");
      }
    }
  }

  private void string(String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          // ensure_ascii escapes everything outside ' '..'~' (so also DEL); without it Python escapes
          // only control characters. A lone surrogate cannot be encoded as UTF-8, so it stays escaped.
          boolean escape = c < 0x20
              || (ensureAscii && c > 0x7e)
              || (Character.isSurrogate(c) && !pairedSurrogate(s, i));
          if (escape) {
            unicodeEscape(c);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static boolean pairedSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }

  private void unicodeEscape(char c) {
    String hex = Integer.toHexString(c);
    out.append("\\u");
    for (int k = hex.length(); k < 4; k++) {
      out.append('0');
    }
    out.append(hex);
  }

  /**
   * Python's {@code repr(float)}: the shortest digit string that round-trips, in fixed notation when the
   * decimal exponent is in [-4, 16), otherwise {@code d.ddde+XX}. Java 17's Double.toString is not always
   * the shortest, so the digits are found by rounding the exact binary value to increasing precision.
   */
  static String pythonFloatRepr(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    if (d == 0) {
      return (1 / d < 0) ? "-0.0" : "0.0";
    }
    BigDecimal exact = new BigDecimal(d);
    BigDecimal shortest = exact;
    for (int precision = 1; precision <= 17; precision++) {
      BigDecimal candidate = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
      if (candidate.doubleValue() == d) {
        shortest = candidate;
        break;
      }
    }
    shortest = shortest.stripTrailingZeros();
    String digits = shortest.unscaledValue().abs().toString();
    // value = 0.DIGITS * 10^decimalPoint
    int decimalPoint = digits.length() - shortest.scale();
    StringBuilder sb = new StringBuilder();
    if (d < 0) {
      sb.append('-');
    }
    if (decimalPoint > -4 && decimalPoint <= 16) {
      if (decimalPoint <= 0) {
        sb.append("0.");
        sb.append("0".repeat(-decimalPoint)).append(digits);
      } else if (decimalPoint >= digits.length()) {
        sb.append(digits).append("0".repeat(decimalPoint - digits.length())).append(".0");
      } else {
        sb.append(digits, 0, decimalPoint).append('.').append(digits, decimalPoint, digits.length());
      }
    } else {
      sb.append(digits.charAt(0));
      if (digits.length() > 1) {
        sb.append('.').append(digits, 1, digits.length());
      }
      int exponent = decimalPoint - 1;
      sb.append('e').append(exponent < 0 ? '-' : '+');
      int abs = Math.abs(exponent);
      if (abs < 10) {
        sb.append('0');
      }
      sb.append(abs);
    }
    return sb.toString();
  }

  private static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
