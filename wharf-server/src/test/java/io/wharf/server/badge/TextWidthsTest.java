package io.wharf.server.badge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class TextWidthsTest {
  static final Path FONT = Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");

  @Test
  void theCommittedTableIsWhatTheGeneratorMeasuresInTheFontItNames() throws Exception {
    Assumptions.assumeTrue(Files.isReadable(FONT), "DejaVu Sans is not installed here");
    String committed;
    try (var in = TextWidths.class.getResourceAsStream(TextWidths.RESOURCE)) {
      committed = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    // The header names the font file's sha256: a different build of the font is a different table.
    Assumptions.assumeTrue(committed.contains(TextWidthTableGenerator.sha256(Files.readAllBytes(FONT))),
        "the installed DejaVu Sans is another build than the one measured");
    assertThat(TextWidthTableGenerator.table(FONT, "fonts-dejavu-core 2.37-6")).isEqualTo(committed);
  }

  @Test
  void widthsAreTheFontAdvancesScaledToTheFontSize() {
    TextWidths w = TextWidths.dejaVuSans();
    assertThat(w.unitsPerEm()).isEqualTo(2048);
    // DejaVu Sans advances: 'i' 569, 'W' 2025, space 651 units of 2048.
    assertThat(w.advance('i')).isEqualTo(569);
    assertThat(w.advance('W')).isEqualTo(2025);
    assertThat(w.width("Wi W", 11)).isCloseTo((2025 + 569 + 651 + 2025) * 11.0 / 2048, within(1e-9));
    assertThat(w.width("WWW", 11)).isGreaterThan(w.width("iii", 11) * 3);
  }

  @Test
  void aCharacterTheTableLacksCountsOneEmSoItIsNeverSqueezed() {
    TextWidths w = TextWidths.dejaVuSans();
    assertThat(w.covers('漢')).isFalse();
    assertThat(w.width("漢", 11)).isEqualTo(11.0);
    assertThat(w.covers('é')).isTrue();
    assertThat(w.covers('…')).isTrue();
  }
}
