package io.wharf.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ByteRangeTest {
  private static final long SIZE = 1000;

  @Test
  void singleRangesSuffixesAndOpenEnds() throws Exception {
    assertThat(ByteRange.parse("bytes=0-99", SIZE)).contains(new ByteRange(0, 100));
    assertThat(ByteRange.parse("bytes=900-", SIZE)).contains(new ByteRange(900, 100));
    assertThat(ByteRange.parse("bytes=-10", SIZE)).contains(new ByteRange(990, 10));
    assertThat(ByteRange.parse("bytes=-5000", SIZE)).contains(new ByteRange(0, SIZE));
    assertThat(ByteRange.parse("bytes=990-5000", SIZE)).contains(new ByteRange(990, 10));
  }

  @Test
  void positionsBeyondALongAreBeyondTheFileNotAnError() throws Exception {
    // 19 digits pass the syntax check but overflow a long.
    assertThatThrownBy(() -> ByteRange.parse("bytes=9999999999999999999-", SIZE))
        .isInstanceOf(ByteRange.Unsatisfiable.class);
    assertThat(ByteRange.parse("bytes=0-9999999999999999999", SIZE)).contains(new ByteRange(0, SIZE));
    assertThat(ByteRange.parse("bytes=-9999999999999999999", SIZE)).contains(new ByteRange(0, SIZE));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "bytes=", "bytes=-", "bytes=5-1", "bytes=0-1,5-9", "items=0-1", "bytes=a-b",
      "bytes=00000000000000000000-", "bytes = 0-1"})
  void anythingElseIsIgnoredAndTheWholeFileServed(String header) throws Exception {
    assertThat(ByteRange.parse(header, SIZE)).isEmpty();
  }

  @Test
  void unsatisfiableRangesAre416() {
    assertThatThrownBy(() -> ByteRange.parse("bytes=1000-", SIZE)).isInstanceOf(ByteRange.Unsatisfiable.class);
    assertThatThrownBy(() -> ByteRange.parse("bytes=-0", SIZE)).isInstanceOf(ByteRange.Unsatisfiable.class);
    assertThatThrownBy(() -> ByteRange.parse("bytes=-1", 0)).isInstanceOf(ByteRange.Unsatisfiable.class);
  }

  /** Random headers of the accepted shape: every answer lies inside the file, or is 416, never an error. */
  @Test
  void randomHeadersAlwaysGiveARangeInsideTheFileOrARefusal() {
    Random random = new Random(1);
    for (int i = 0; i < 20_000; i++) {
      long size = random.nextInt(3) == 0 ? random.nextInt(3) : Math.abs(random.nextLong() % 1_000_000_000L);
      String header = "bytes=" + digits(random) + "-" + digits(random);
      try {
        Optional<ByteRange> r = ByteRange.parse(header, size);
        r.ifPresent(range -> {
          assertThat(range.start()).as(header).isBetween(0L, size - 1);
          assertThat(range.length()).as(header).isPositive();
          assertThat(range.end()).as(header).isLessThan(size);
        });
      } catch (ByteRange.Unsatisfiable expected) {
        // 416
      }
    }
  }

  private static String digits(Random random) {
    int n = random.nextInt(21);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append((char) ('0' + random.nextInt(10)));
    }
    return sb.toString();
  }
}
