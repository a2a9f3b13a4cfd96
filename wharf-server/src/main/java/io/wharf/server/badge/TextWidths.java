package io.wharf.server.badge;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * How wide text is in a badge, from a table of the font's own advance widths (the resource
 * {@code dejavu-sans-widths.txt}, measured from DejaVu Sans by {@code TextWidthTableGenerator} in the tests,
 * its provenance in the file's header). Nothing is rendered at run time. Kerning is ignored, as badges
 * are short; a code point the table lacks counts one em, so unknown text (CJK, emoji) is never squeezed.
 */
public final class TextWidths {
  static final String RESOURCE = "dejavu-sans-widths.txt";
  private static final TextWidths DEJAVU_SANS = load(RESOURCE);

  private final int unitsPerEm;
  private final Map<Integer, Integer> advances;

  TextWidths(int unitsPerEm, Map<Integer, Integer> advances) {
    this.unitsPerEm = unitsPerEm;
    this.advances = Map.copyOf(advances);
  }

  /** The table badges use: DejaVu Sans, metrically close to the Verdana of the badges people know. */
  public static TextWidths dejaVuSans() {
    return DEJAVU_SANS;
  }

  /** Width of {@code text} in pixels at {@code fontSizePx}. */
  public double width(String text, double fontSizePx) {
    long units = text.codePoints().mapToLong(this::advance).sum();
    return units * fontSizePx / unitsPerEm;
  }

  /** The advance of one code point in font units: one em when the table does not have it. */
  public int advance(int codePoint) {
    return advances.getOrDefault(codePoint, unitsPerEm);
  }

  public int unitsPerEm() {
    return unitsPerEm;
  }

  public boolean covers(int codePoint) {
    return advances.containsKey(codePoint);
  }

  static TextWidths load(String resource) {
    try (InputStream in = TextWidths.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      int upem = 0;
      Map<Integer, Integer> advances = new HashMap<>();
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] parts = line.trim().split("\\s+");
        if (parts[0].equals("units-per-em")) {
          upem = Integer.parseInt(parts[1]);
        } else {
          advances.put(Integer.parseInt(parts[0], 16), Integer.parseInt(parts[1]));
        }
      }
      if (upem <= 0 || advances.isEmpty()) {
        throw new IllegalStateException(resource + " has no units-per-em line or no widths");
      }
      return new TextWidths(upem, advances);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
