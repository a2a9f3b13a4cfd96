package io.wharf.server.web;

/**
 * HTTP dates as {@link Conditional#httpDate} writes them, remembering the last one: the same file is
 * revalidated over and over, and formatting a date costs more than the rest of a 304.
 */
final class HttpDates {
  private record Stamp(long millis, String text) {}

  private volatile Stamp last = new Stamp(Long.MIN_VALUE, null);

  String format(long epochMillis) {
    Stamp s = last;
    if (s.millis() == epochMillis) {
      return s.text();
    }
    String text = Conditional.httpDate(epochMillis);
    last = new Stamp(epochMillis, text);
    return text;
  }
}
