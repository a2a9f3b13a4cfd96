package io.wharf.server.badge;

import java.util.Locale;

/**
 * Draws a badge in the flat style: a 20 px high rounded box, the label on dark grey at the left, the
 * message on a colour at the right, 11 px sans-serif text with a faint shadow and a light gradient. Each
 * text gets {@code textLength} from {@link TextWidths}, so a viewer whose fallback font is wider or
 * narrower still fits it into the box. Only presentation attributes are used (no {@code <style>}), since
 * the server's Content-Security-Policy forbids inline styles when the SVG is opened directly. The
 * {@code <title>} and {@code role="img"}/{@code aria-label} let screen readers read it as one image.
 */
public final class BadgeSvg {
  static final double FONT_SIZE = 11;
  static final int HEIGHT = 20;
  /** Space on each side of a text inside its half. */
  static final int PADDING = 5;
  /** Text longer than this is cut with an ellipsis: a licence can be a paragraph. */
  static final int MAX_CODE_POINTS = 64;
  static final String LABEL_COLOR = "#555";

  private final TextWidths widths;

  public BadgeSvg(TextWidths widths) {
    this.widths = widths;
  }

  public Badge render(String label, String message, String color) {
    String l = clean(label);
    String m = clean(message);
    double lw = widths.width(l, FONT_SIZE);
    double mw = widths.width(m, FONT_SIZE);
    int left = (int) Math.ceil(lw) + 2 * PADDING;
    int right = (int) Math.ceil(mw) + 2 * PADDING;
    int total = left + right;
    String title = Xml.escape(l + ": " + m);
    StringBuilder sb = new StringBuilder(1024);
    sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(total).append("\" height=\"")
        .append(HEIGHT).append("\" role=\"img\" aria-label=\"").append(title).append("\">");
    sb.append("<title>").append(title).append("</title>");
    sb.append("<linearGradient id=\"shine\" x2=\"0\" y2=\"100%\"><stop offset=\"0\" stop-color=\"#bbb\"")
        .append(" stop-opacity=\".1\"/><stop offset=\"1\" stop-opacity=\".1\"/></linearGradient>");
    sb.append("<clipPath id=\"round\"><rect width=\"").append(total).append("\" height=\"").append(HEIGHT)
        .append("\" rx=\"3\" fill=\"#fff\"/></clipPath>");
    sb.append("<g clip-path=\"url(#round)\"><rect width=\"").append(left).append("\" height=\"").append(HEIGHT)
        .append("\" fill=\"").append(LABEL_COLOR).append("\"/><rect x=\"").append(left).append("\" width=\"")
        .append(right).append("\" height=\"").append(HEIGHT).append("\" fill=\"").append(Xml.escape(color))
        .append("\"/><rect width=\"").append(total).append("\" height=\"").append(HEIGHT)
        .append("\" fill=\"url(#shine)\"/></g>");
    sb.append("<g fill=\"#fff\" text-anchor=\"middle\" font-family=\"Verdana,Geneva,DejaVu Sans,sans-serif\"")
        .append(" font-size=\"").append(num(FONT_SIZE)).append("\">");
    text(sb, left / 2.0, lw, l);
    text(sb, left + right / 2.0, mw, m);
    sb.append("</g></svg>");
    return new Badge(l, m, sb.toString());
  }

  /** The text and its shadow one pixel below. */
  private static void text(StringBuilder sb, double centre, double width, String s) {
    if (s.isEmpty()) {
      return;
    }
    String x = num(centre);
    String len = num(width);
    String body = Xml.escape(s);
    sb.append("<text aria-hidden=\"true\" x=\"").append(x).append("\" y=\"15\" fill=\"#010101\" fill-opacity=\".3\"")
        .append(" textLength=\"").append(len).append("\">").append(body).append("</text>");
    sb.append("<text x=\"").append(x).append("\" y=\"14\" textLength=\"").append(len).append("\">").append(body)
        .append("</text>");
  }

  private static String num(double v) {
    String s = String.format(Locale.ROOT, "%.1f", v);
    return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
  }

  /** One line, XML-safe characters only, at most {@link #MAX_CODE_POINTS}. */
  static String clean(String s) {
    String one = Xml.legal(s == null ? "" : s).replaceAll("\\s+", " ").trim();
    if (one.codePointCount(0, one.length()) <= MAX_CODE_POINTS) {
      return one;
    }
    return one.substring(0, one.offsetByCodePoints(0, MAX_CODE_POINTS - 1)).trim() + "…";
  }
}
