package io.wharf.server.vuln;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CveSummaryTest {
  private static FileCve cve(String id, double score, CveStatus status) {
    return new FileCve(id, score, "3.1", Severity.of(score).name(), status, null, null, null);
  }

  @Test
  void anActiveCveOutranksAHigherClearedOneForTheScore() {
    CveSummary s = CveSummary.of(List.of(cve("CVE-1", 5.0, CveStatus.ACTIVE), cve("CVE-2", 9.8, CveStatus.CLEARED)));

    assertThat(s).isEqualTo(new CveSummary(5.0, 2, CveStatus.ACTIVE));
  }

  @Test
  void withOnlyCuratedCvesTheHighestOfThemIsShown() {
    assertThat(CveSummary.of(List.of(cve("CVE-2", 9.8, CveStatus.CLEARED))))
        .isEqualTo(new CveSummary(9.8, 1, CveStatus.CLEARED));
  }

  @Test
  void statusIsTheMostSevereInTheDocumentedOrder() {
    assertThat(CveSummary.of(List.of(cve("a", 1, CveStatus.CLEARED), cve("b", 1, CveStatus.MITIGATED),
        cve("c", 1, CveStatus.DISPUTED))).status()).isEqualTo(CveStatus.DISPUTED);
    assertThat(CveSummary.of(List.of(cve("a", 1, CveStatus.DISPUTED), cve("b", 1, CveStatus.REPORTED))).status())
        .isEqualTo(CveStatus.REPORTED);
    assertThat(CveSummary.of(List.of())).isEqualTo(new CveSummary(null, 0, null));
  }
}
