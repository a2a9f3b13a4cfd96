package io.wharf.server.badge;

import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.font.FontRenderContext;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.stream.IntStream;

/**
 * Writes the badge text-width table ({@link TextWidths}) from a TrueType file. Measuring happens here, at
 * development time, with AWT; the server only reads the committed table. Advances are taken from the font
 * at a size of one em in font units, so each width is the font's own integer advance (no hinting, no
 * rounding): {@code hmtx} through AWT's glyph metrics, {@code unitsPerEm} from the {@code head} table
 * (OpenType spec, "head" table: unitsPerEm is the uint16 at offset 18).
 *
 * <p>Run: {@code java -cp wharf-server/target/test-classes:wharf-server/target/classes
 * io.wharf.server.badge.TextWidthTableGenerator /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
 * "fonts-dejavu-core 2.37-6" wharf-server/src/main/resources/io/wharf/server/badge/dejavu-sans-widths.txt}
 */
public final class TextWidthTableGenerator {
  /** Printable ASCII, Latin-1, Latin Extended-A, and the punctuation badges print (–, —, ’, …, •). */
  static IntStream codePoints() {
    return IntStream.concat(IntStream.concat(IntStream.rangeClosed(0x20, 0x7e), IntStream.rangeClosed(0xa0, 0x17f)),
        IntStream.of(0x2013, 0x2014, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2026));
  }

  private TextWidthTableGenerator() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: TextWidthTableGenerator FONT.ttf \"PACKAGE VERSION\" OUTPUT.txt");
      System.exit(2);
    }
    Path out = Path.of(args[2]);
    Files.writeString(out, table(Path.of(args[0]), args[1]), StandardCharsets.UTF_8);
    System.out.println("wrote " + out);
  }

  /** The table's text, header with provenance included. */
  static String table(Path fontFile, String fontPackage) throws IOException, FontFormatException {
    byte[] bytes = Files.readAllBytes(fontFile);
    int unitsPerEm = unitsPerEm(bytes);
    Font font = Font.createFont(Font.TRUETYPE_FONT, fontFile.toFile()).deriveFont((float) unitsPerEm);
    FontRenderContext frc = new FontRenderContext(null, false, true);
    StringBuilder sb = new StringBuilder();
    sb.append("# Advance widths of ").append(font.getFontName()).append(", in font units, for badge text.\n");
    sb.append("# Measured from ").append(fontFile.getFileName()).append(" (").append(fontPackage)
        .append("), sha256 ").append(sha256(bytes)).append(",\n");
    sb.append("# by io.wharf.server.badge.TextWidthTableGenerator (wharf-server tests). Only the advances are\n");
    sb.append("# kept, no glyph data. DejaVu fonts: Bitstream Vera license, DejaVu changes in the public domain.\n");
    sb.append("# Lines: hexadecimal code point, advance. Code points the font lacks are left out.\n");
    sb.append("units-per-em ").append(unitsPerEm).append('\n');
    codePoints().filter(font::canDisplay).forEach(cp -> {
      double advance = font.createGlyphVector(frc, Character.toString(cp)).getGlyphMetrics(0).getAdvance();
      sb.append(String.format("%04X %d%n", cp, Math.round(advance)));
    });
    return sb.toString();
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code head.unitsPerEm}: the table directory gives the offset of {@code head}. */
  static int unitsPerEm(byte[] ttf) {
    ByteBuffer b = ByteBuffer.wrap(ttf);
    int tables = b.getShort(4) & 0xffff;
    for (int i = 0; i < tables; i++) {
      int entry = 12 + 16 * i;
      String tag = new String(ttf, entry, 4, StandardCharsets.US_ASCII);
      if (tag.equals("head")) {
        return b.getShort(b.getInt(entry + 8) + 18) & 0xffff;
      }
    }
    throw new IllegalArgumentException("no head table: not a TrueType font");
  }
}
