package io.wharf.server.mirror;

import io.wharf.server.error.WharfException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A mirror's schedule as written by people: whole days, hours and minutes such as {@code 6h}, {@code 1d12h}, {@code 90m}. */
public final class Every {
  private static final Pattern WHOLE = Pattern.compile("(?:\\d{1,6}[dhm])+");
  private static final Pattern PART = Pattern.compile("(\\d{1,6})([dhm])");

  private Every() {}

  /** The period written, or null for null or blank (no schedule). */
  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String t = text.trim();
    if (!WHOLE.matcher(t).matches()) {
      throw WharfException.invalid("invalid_every", "'" + t + "' is not a period such as 6h, 1d12h or 90m");
    }
    Duration d = Duration.ZERO;
    for (Matcher m = PART.matcher(t); m.find(); ) {
      long n = Long.parseLong(m.group(1));
      d = d.plus(switch (m.group(2)) {
        case "d" -> Duration.ofDays(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofMinutes(n);
      });
    }
    return d;
  }

  /** The shortest text for {@code d} in the same units, e.g. {@code 1d12h}; null for null. */
  public static String text(Duration d) {
    if (d == null) {
      return null;
    }
    StringBuilder s = new StringBuilder();
    long days = d.toDays();
    long hours = d.toHoursPart();
    long minutes = d.toMinutesPart();
    if (days > 0) {
      s.append(days).append('d');
    }
    if (hours > 0) {
      s.append(hours).append('h');
    }
    if (minutes > 0 || s.length() == 0) {
      s.append(minutes).append('m');
    }
    return s.toString();
  }
}
