package io.wharf.server.badge;

import java.time.Duration;
import java.time.Instant;

/** Numbers and times as a badge says them: {@code 1.2k}, {@code 3.4M}, {@code 3 days ago}. */
public final class Humanize {
  private static final String[] UNITS = {"", "k", "M", "G", "T", "P", "E"};

  private Humanize() {}

  /**
   * A count in at most three significant figures with a decimal suffix: below ten units one decimal
   * ({@code 1.2k}, {@code 1k} rather than {@code 1.0k}), above that whole units ({@code 12k}, {@code 345M}).
   * Rounding that reaches 1000 moves to the next unit ({@code 999,999} is {@code 1M}).
   */
  public static String count(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("a count is not negative: " + n);
    }
    if (n < 1000) {
      return Long.toString(n);
    }
    int unit = 0;
    double v = n;
    while (v >= 1000 && unit < UNITS.length - 1) {
      v /= 1000;
      unit++;
    }
    // Round as it will be printed, then carry into the next unit when that gives 1000.
    double rounded = v < 10 ? Math.round(v * 10) / 10.0 : Math.round(v);
    if (rounded >= 1000 && unit < UNITS.length - 1) {
      rounded = 1;
      unit++;
    }
    String digits = rounded == Math.rint(rounded) ? Long.toString((long) rounded) : Double.toString(rounded);
    return digits + UNITS[unit];
  }

  /**
   * How long ago {@code then} was, in its largest whole unit: {@code just now} under a minute (and for a
   * time after {@code now}, which only clock skew between nodes gives), then minutes, hours, days, months
   * of 30 days and years of 365 days.
   */
  public static String ago(Instant then, Instant now) {
    long seconds = Duration.between(then, now).getSeconds();
    if (seconds < 60) {
      return "just now";
    }
    long minutes = seconds / 60;
    if (minutes < 60) {
      return plural(minutes, "minute");
    }
    long hours = minutes / 60;
    if (hours < 24) {
      return plural(hours, "hour");
    }
    long days = hours / 24;
    if (days < 30) {
      return plural(days, "day");
    }
    if (days < 365) {
      return plural(days / 30, "month");
    }
    return plural(days / 365, "year");
  }

  private static String plural(long n, String unit) {
    return n + " " + unit + (n == 1 ? "" : "s") + " ago";
  }
}
