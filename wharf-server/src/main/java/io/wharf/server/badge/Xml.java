package io.wharf.server.badge;

/** Text inside XML: escaped, and limited to the characters XML 1.0 allows (§2.2, production [2] Char). */
final class Xml {
  private Xml() {}

  /** Escapes text for element content and double- or single-quoted attribute values. */
  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /**
   * Replaces what XML 1.0 cannot carry even escaped: control characters become spaces, lone surrogates and
   * U+FFFE/U+FFFF become U+FFFD.
   */
  static String legal(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> {
      if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') {
        sb.append(' ');
      } else if ((cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe || cp == 0xffff) {
        sb.append('\uFFFD');
      } else {
        sb.appendCodePoint(cp);
      }
    });
    return sb.toString();
  }
}
