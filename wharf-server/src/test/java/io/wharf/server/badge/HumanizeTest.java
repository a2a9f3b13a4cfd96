package io.wharf.server.badge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HumanizeTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"0, 0", "7, 7", "999, 999", "1000, 1k", "1049, 1k", "1050, 1.1k", "1234, 1.2k", "9949, 9.9k",
      "9950, 10k", "12345, 12k", "999499, 999k", "999500, 1M", "3400000, 3.4M", "3450000, 3.5M", "45600000, 46M",
      "1200000000, 1.2G", "9223372036854775807, 9.2E"})
  void countsGetThreeSignificantFiguresAndADecimalSuffix(long n, String expected) {
    assertThat(Humanize.count(n)).isEqualTo(expected);
  }

  @Test
  void aNegativeCountIsAMistake() {
    assertThatThrownBy(() -> Humanize.count(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "{0}s -> {1}")
  @CsvSource({"0, just now", "59, just now", "60, 1 minute ago", "150, 2 minutes ago", "3599, 59 minutes ago",
      "3600, 1 hour ago", "86399, 23 hours ago", "86400, 1 day ago", "259200, 3 days ago", "2591999, 29 days ago",
      "2592000, 1 month ago", "31535999, 12 months ago", "31536000, 1 year ago", "94608000, 3 years ago",
      "-30, just now"})
  void agoSaysTheLargestWholeUnit(long seconds, String expected) {
    Instant now = Instant.parse("2026-06-01T12:00:00Z");
    assertThat(Humanize.ago(now.minus(Duration.ofSeconds(seconds)), now)).isEqualTo(expected);
  }
}
