package io.wharf.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The server-side layout of the downloads chart: bar heights in proportion, round numbers on the axis. */
class DownloadChartTest {
  private static final LocalDate D = LocalDate.parse("2026-06-01");

  @Test
  void barsAreInProportionToTheirDaysAndTheAxisEndsOnARoundNumber() {
    DownloadChart chart = DownloadChart.of(List.of(new DownloadChart.Day(D, 0), new DownloadChart.Day(D.plusDays(1), 7),
        new DownloadChart.Day(D.plusDays(2), 14)));

    assertThat(chart.bars()).extracting(DownloadChart.Bar::date)
        .containsExactly("2026-06-01", "2026-06-02", "2026-06-03");
    double plot = DownloadChart.BOTTOM - DownloadChart.TOP;
    assertThat(Double.parseDouble(chart.bars().get(0).height())).isZero();
    assertThat(Double.parseDouble(chart.bars().get(2).height())).isCloseTo(plot * 14 / 20, org.assertj.core.data.Offset.offset(0.1));
    assertThat(Double.parseDouble(chart.bars().get(2).height()))
        .isCloseTo(2 * Double.parseDouble(chart.bars().get(1).height()), org.assertj.core.data.Offset.offset(0.2));
    assertThat(chart.grid()).extracting(DownloadChart.GridLine::value).containsExactly(0L, 10L, 20L);
    assertThat(chart.total()).isEqualTo(21);
    assertThat(chart.description()).isEqualTo("21 downloads from 2026-06-01 to 2026-06-03, at most 14 on one day");
    assertThat(chart.bars().get(1).title()).isEqualTo("2026-06-02: 7 downloads");
  }

  @Test
  void barsStayInsideThePlotAndInDateOrder() {
    List<DownloadChart.Day> days = new java.util.ArrayList<>();
    for (int i = 0; i < 365; i++) {
      days.add(new DownloadChart.Day(D.plusDays(i), i % 5));
    }
    DownloadChart chart = DownloadChart.of(days);

    double previous = -1;
    for (DownloadChart.Bar b : chart.bars()) {
      double x = Double.parseDouble(b.x());
      assertThat(x).isGreaterThan(previous).isGreaterThanOrEqualTo(DownloadChart.LEFT);
      assertThat(x + Double.parseDouble(b.width())).isLessThanOrEqualTo(DownloadChart.RIGHT + 0.1);
      assertThat(Double.parseDouble(b.y())).isGreaterThanOrEqualTo(DownloadChart.TOP - 0.1);
      previous = x;
    }
  }

  @Test
  void anEmptyRangeDrawsAZeroAxisAndNoBars() {
    DownloadChart none = DownloadChart.of(List.of(new DownloadChart.Day(D, 0)));

    assertThat(none.grid()).extracting(DownloadChart.GridLine::value).containsExactly(0L, 1L);
    assertThat(Double.parseDouble(none.bars().get(0).height())).isZero();
    assertThat(DownloadChart.niceCeiling(1)).isEqualTo(1);
    assertThat(DownloadChart.niceCeiling(3)).isEqualTo(5);
    assertThat(DownloadChart.niceCeiling(101)).isEqualTo(200);
  }
}
