package io.wharf.conda.version;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VersionOrderTest {
  @Test
  void ordersByCondaVersionOrderNotByText() {
    List<String> versions = new ArrayList<>(List.of("1.10", "1.9", "1.0rc1", "1.0", "1!0.1"));
    versions.sort(VersionOrder.COMPARATOR);
    assertThat(versions).containsExactly("1.0rc1", "1.0", "1.9", "1.10", "1!0.1");
  }

  @Test
  void versionsTheParserRejectsSortBelowValidOnesAndKeepTheOrderTotal() {
    List<String> versions = new ArrayList<>(List.of("2.0", "not a version", "1.0", "also..bad"));
    versions.sort(VersionOrder.COMPARATOR);
    assertThat(versions).containsExactly("also..bad", "not a version", "1.0", "2.0");
    assertThat(VersionOrder.compare("1.1", "1.1.0")).isZero();
  }

  @Test
  void theMemoizingComparatorOrdersExactlyAsThePlainOne() {
    List<String> versions = new ArrayList<>(List.of("1.0", "not a version", "2.0", "1.0.0", "1.0a1", "1.0.post1",
        "also..bad", "1!0.5", "2.0", "1.1", "1.1.0", "0.9_rc2", "1.0", "3"));
    java.util.Random random = new java.util.Random(7);
    for (int round = 0; round < 20; round++) {
      java.util.Collections.shuffle(versions, random);
      List<String> plain = new ArrayList<>(versions);
      plain.sort(VersionOrder.COMPARATOR);
      List<String> memo = new ArrayList<>(versions);
      java.util.Comparator<String> memoizing = VersionOrder.memoizing();
      memo.sort(memoizing);
      for (int i = 0; i < plain.size(); i++) {
        assertThat(VersionOrder.compare(plain.get(i), memo.get(i))).isZero();
      }
      for (String a : versions) {
        for (String b : versions) {
          assertThat(Integer.signum(memoizing.compare(a, b))).isEqualTo(Integer.signum(VersionOrder.compare(a, b)));
        }
      }
    }
  }
}
