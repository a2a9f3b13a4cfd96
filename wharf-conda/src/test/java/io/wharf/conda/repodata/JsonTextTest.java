package io.wharf.conda.repodata;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonTextTest {

  @ParameterizedTest
  @CsvSource({
    "0.1, 0.1",
    "1e16, 1e+16",
    "1e15, 1000000000000000.0",
    "1.5e-5, 1.5e-05",
    "0.0001, 0.0001",
    "0.00001234, 1.234e-05",
    "2.0, 2.0",
    "-0.0, -0.0",
    "5e-324, 5e-324",
    "1.7976931348623157e308, 1.7976931348623157e+308",
    "123456789.123, 123456789.123",
    "-2.5, -2.5",
    // Java 17's Double.toString prints 2.0000000000000002E23 here; Python prints the shortest form
    "2e23, 2e+23",
  })
  void formatsFloatsAsPythonRepr(double value, String python) {
    assertThat(JsonText.pythonFloatRepr(value)).isEqualTo(python);
  }

  @Test
  void sortsKeysByCodePointNotByUtf16Unit() {
    List<String> keys = new ArrayList<>(List.of("\uD83D\uDE00", "\uFFFD", "z", "a"));
    keys.sort(JsonText.CODE_POINT_ORDER);
    // U+FFFD < U+1F600, although the surrogate 0xD83D < 0xFFFD
    assertThat(keys).containsExactly("a", "z", "\uFFFD", "\uD83D\uDE00");
  }

  @Test
  void keepsLoneSurrogatesEscapedSoTheUtf8OutputStaysLossless() {
    assertThat(JsonText.quote("a\uD800b")).isEqualTo("\"a\\ud800b\"");
    assertThat(JsonText.quote("\uD83D\uDE00")).isEqualTo("\"\uD83D\uDE00\"");
  }
}
