package io.wharf.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
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

  /**
   * Random headers of the accepted shape against RFC 9110 §14.1.2 worked out in arbitrary precision: a
   * range inside the file, 416, or (for an invalid range-spec, or positions longer than 19 digits) the
   * whole file.
   */
  @Test
  void randomHeadersGiveTheRangeTheRfcDefines() {
    Random random = new Random(1);
    Map<String, Integer> answers = new TreeMap<>();
    for (int i = 0; i < 20_000; i++) {
      long size = random.nextInt(3) == 0 ? random.nextInt(3) : Math.abs(random.nextLong() % 1_000_000_000L);
      String first = digits(random);
      String last = digits(random);
      String header = "bytes=" + first + "-" + last;
      String expected = rfc9110(first, last, BigInteger.valueOf(size));
      String actual;
      try {
        actual = ByteRange.parse(header, size).map(r -> r.start() + "+" + r.length()).orElse("whole file");
      } catch (ByteRange.Unsatisfiable e) {
        actual = "416";
      }
      assertThat(actual).as("%s of a %d-byte file", header, size).isEqualTo(expected);
      answers.merge(expected.contains("+") ? "range" : expected, 1, Integer::sum);
    }
    assertThat(answers).containsOnlyKeys("range", "416", "whole file");
  }

  private static String rfc9110(String first, String last, BigInteger size) {
    if (first.length() > 19 || last.length() > 19 || (first.isEmpty() && last.isEmpty())) {
      return "whole file";
    }
    if (first.isEmpty()) {
      BigInteger suffix = new BigInteger(last);
      if (suffix.signum() == 0 || size.signum() == 0) {
        return "416";
      }
      BigInteger length = suffix.min(size);
      return size.subtract(length) + "+" + length;
    }
    BigInteger start = new BigInteger(first);
    if (start.compareTo(size) >= 0) {
      return "416";
    }
    BigInteger lastByte = size.subtract(BigInteger.ONE);
    BigInteger end = last.isEmpty() ? lastByte : new BigInteger(last).min(lastByte);
    if (end.compareTo(start) < 0) {
      return "whole file";
    }
    return start + "+" + end.subtract(start).add(BigInteger.ONE);
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
