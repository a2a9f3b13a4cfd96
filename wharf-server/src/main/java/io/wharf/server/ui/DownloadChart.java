package io.wharf.server.ui;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A bar chart of downloads per day, laid out on the server so the page draws it as plain SVG (no script,
 * no inline style: the CSP forbids both). Coordinates are in the SVG's own units ({@link #WIDTH} by
 * {@link #HEIGHT}); the stylesheet gives the colours.
 */
public record DownloadChart(List<Bar> bars, List<GridLine> grid, String firstDate, String lastDate, long total,
    String description) {
  public static final int WIDTH = 720;
  public static final int HEIGHT = 220;
  static final double LEFT = 56;
  static final double RIGHT = WIDTH - 8;
  static final double TOP = 12;
  static final double BOTTOM = HEIGHT - 28;

  /** One day: its rectangle and what its tooltip says. */
  public record Bar(String x, String y, String width, String height, String date, long downloads) {
    public String title() {
      return date + ": " + downloads + (downloads == 1 ? " download" : " downloads");
    }
  }

  /** A horizontal line across the plot at {@code value} downloads. */
  public record GridLine(String y, String labelY, long value) {}

  public record Day(LocalDate date, long downloads) {}

  public static DownloadChart of(List<Day> days) {
    long max = days.stream().mapToLong(Day::downloads).max().orElse(0);
    long top = niceCeiling(Math.max(max, 1));
    double plot = BOTTOM - TOP;
    double slot = (RIGHT - LEFT) / Math.max(1, days.size());
    double barWidth = Math.max(1, slot * 0.8);
    List<Bar> bars = new ArrayList<>(days.size());
    for (int i = 0; i < days.size(); i++) {
      Day d = days.get(i);
      double h = plot * d.downloads() / top;
      bars.add(new Bar(num(LEFT + i * slot + (slot - barWidth) / 2), num(BOTTOM - h), num(barWidth), num(h),
          d.date().toString(), d.downloads()));
    }
    List<GridLine> grid = new ArrayList<>();
    List<Long> values = top % 2 == 0 ? List.of(0L, top / 2, top) : List.of(0L, top); // whole numbers only
    for (long v : values) {
      double y = BOTTOM - plot * v / top;
      grid.add(new GridLine(num(y), num(y + 4), v));
    }
    long total = days.stream().mapToLong(Day::downloads).sum();
    String first = days.isEmpty() ? "" : days.get(0).date().toString();
    String last = days.isEmpty() ? "" : days.get(days.size() - 1).date().toString();
    String description = total + (total == 1 ? " download" : " downloads") + " from " + first + " to " + last
        + ", at most " + max + " on one day";
    return new DownloadChart(bars, grid, first, last, total, description);
  }

  /** The smallest 1, 2 or 5 times a power of ten at or above {@code n}: round numbers on the axis. */
  static long niceCeiling(long n) {
    long power = 1;
    while (true) {
      for (long m : new long[] {1, 2, 5}) {
        if (m * power >= n) {
          return m * power;
        }
      }
      power *= 10;
    }
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  public String viewBox() {
    return "0 0 " + WIDTH + " " + HEIGHT;
  }

  public String plotLeft() {
    return num(LEFT);
  }

  public String plotRight() {
    return num(RIGHT);
  }

  public String labelX() {
    return num(LEFT - 6);
  }

  public String dateY() {
    return num(BOTTOM + 18);
  }
}
