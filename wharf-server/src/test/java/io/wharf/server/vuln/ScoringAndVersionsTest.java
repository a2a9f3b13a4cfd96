package io.wharf.server.vuln;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.vuln.AffectedRange.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScoringAndVersionsTest {
  @Test
  void everyCvssVersionIsScoredByTheCalculator() {
    assertThat(CvssVector.of("CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N").baseScore()).isEqualTo(6.1);
    assertThat(CvssVector.of("AV:N/AC:L/Au:N/C:P/I:N/A:N")).isEqualTo(
        new CvssVector("2.0", "AV:N/AC:L/Au:N/C:P/I:N/A:N", 5.0));
    assertThat(CvssVector.of("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:N/VI:H/VA:N/SC:N/SI:N/SA:N").version())
        .isEqualTo("4.0");
  }

  @Test
  void versionThreeIsPreferredOverFourAndTwo() {
    CvssVector v2 = new CvssVector("2.0", "x", 9.0);
    CvssVector v3 = new CvssVector("3.1", "y", 5.0);
    CvssVector v4 = new CvssVector("4.0", "z", 8.0);

    assertThat(CvssVector.best(List.of(v2, v3, v4))).contains(v3);
    assertThat(CvssVector.best(List.of(v2, v4))).contains(v4);
  }

  @Test
  void pep440OrdersPreDevPostAndLocalReleases() {
    List<String> ordered = List.of("1.0.dev1", "1.0a1.dev1", "1.0a1", "1.0b2", "1.0rc1", "1.0", "1.0+local.1",
        "1.0.post1", "1.1", "1.10", "1!0.1");
    for (int i = 0; i + 1 < ordered.size(); i++) {
      assertThat(Pep440.compare(ordered.get(i), ordered.get(i + 1))).as(ordered.get(i)).isNegative();
    }
    assertThat(Pep440.compare("1.0", "1.0.0")).isZero();
    assertThat(Pep440.compare("1.0-1", "1.0.post1")).isZero();
    assertThat(Pep440.compare("1.0alpha1", "1.0a1")).isZero();
  }

  @Test
  void cpeRangesHonourInclusiveAndExclusiveEnds() {
    AffectedRange upTo = new AffectedRange(Kind.CPE, "zlib:zlib", null, null, true, "1.2.12", true);
    AffectedRange before = new AffectedRange(Kind.CPE, "openssl:openssl", null, "3.0.0", true, "3.0.8", false);

    assertThat(upTo.contains("1.2.11")).isTrue();
    assertThat(upTo.contains("1.2.12")).isTrue();
    assertThat(upTo.contains("1.2.13")).isFalse();
    assertThat(before.contains("3.0.7")).isTrue();
    assertThat(before.contains("3.0.8")).isFalse();
    assertThat(before.contains("1.1.1t")).isFalse();
    AffectedRange branch = new AffectedRange(Kind.CPE, "openssl:openssl", null, "1.1.1", true, "1.1.1t", false);
    assertThat(branch.contains("1.1.1s")).isTrue();
    assertThat(branch.contains("1.1.1t")).isFalse();
    assertThat(branch.contains("1.1.1u")).isFalse();
    assertThat(CpeVersions.compare("1.2.11", "1.2.11.0")).isZero();
    assertThat(CpeVersions.compare("1.2.9", "1.2.11")).isNegative();
  }
}
