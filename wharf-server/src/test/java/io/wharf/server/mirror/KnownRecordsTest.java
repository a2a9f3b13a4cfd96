package io.wharf.server.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class KnownRecordsTest {
  private static byte[] digest(String of) {
    return UpstreamRecord.rawDigestBytes(of.getBytes(StandardCharsets.UTF_8), null);
  }

  private static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }

  @Test
  void findsEveryRecordOfALargeSubdirAndNoOtherName() {
    KnownRecords known = new KnownRecords();
    int n = 50_000;
    for (int i = 0; i < n; i++) {
      known.add("pkg-" + i + "-1.0-h" + i + "_0.conda", hex(digest("record " + i)));
    }
    assertThat(known.size()).isEqualTo(n);
    for (int i = 0; i < n; i++) {
      int at = known.find("pkg-" + i + "-1.0-h" + i + "_0.conda");
      assertThat(at).isEqualTo(i);
      assertThat(known.unchanged(at, digest("record " + i))).isTrue();
      assertThat(known.unchanged(at, digest("record " + (i + 1)))).isFalse();
    }
    assertThat(known.find("pkg-0-1.0-h0_0.tar.bz2")).isEqualTo(-1);
    assertThat(known.find("pkg-" + n + "-1.0-h" + n + "_0.conda")).isEqualTo(-1);
  }

  @Test
  void namesWithEqualHashCodesAndNonAsciiNamesAreToldApart() {
    // "Aa" and "BB" have the same String.hashCode, and so do names built from them
    assertThat("Aa-1-0.conda".hashCode()).isEqualTo("BB-1-0.conda".hashCode());
    KnownRecords known = new KnownRecords();
    known.add("Aa-1-0.conda", hex(digest("a")));
    known.add("BB-1-0.conda", hex(digest("b")));
    known.add("naïve-1-0.conda", hex(digest("n")));
    assertThat(known.find("BB-1-0.conda")).isEqualTo(1);
    assertThat(known.find("Aa-1-0.conda")).isEqualTo(0);
    assertThat(known.find("naïve-1-0.conda")).isEqualTo(2);
    assertThat(known.find("naive-1-0.conda")).isEqualTo(-1);
    assertThat(known.unchanged(1, digest("b"))).isTrue();
    assertThat(known.unchanged(1, digest("a"))).isFalse();
  }

  @Test
  void aRecordWithoutAUsableRawDigestIsNeverUnchanged() {
    KnownRecords known = new KnownRecords();
    known.add("old-1-0.conda", null);
    known.add("odd-1-0.conda", "zz" + hex(digest("x")).substring(2));
    known.add("short-1-0.conda", "abcd");
    for (int i = 0; i < 3; i++) {
      assertThat(known.unchanged(i, new byte[32])).isFalse();
    }
    assertThat(known.find("odd-1-0.conda")).isEqualTo(1);
  }

  @Test
  void theRecordsNeverListedAreThoseUpstreamDropped() {
    KnownRecords known = new KnownRecords();
    for (int i = 0; i < 10; i++) {
      known.add("f" + i + ".conda", hex(digest("r" + i)));
    }
    for (int i = 0; i < 10; i += 3) {
      known.listed(known.find("f" + i + ".conda"));
    }
    List<String> gone = new ArrayList<>();
    known.forEachUnlisted(gone::add);
    assertThat(gone).containsExactly("f1.conda", "f2.conda", "f4.conda", "f5.conda", "f7.conda", "f8.conda");
  }

  @Test
  void anEmptySetFindsNothingAndDropsNothing() {
    KnownRecords known = new KnownRecords();
    assertThat(known.find("x-1-0.conda")).isEqualTo(-1);
    List<String> gone = new ArrayList<>();
    known.forEachUnlisted(gone::add);
    assertThat(gone).isEmpty();
  }
}
