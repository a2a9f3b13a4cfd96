package io.wharf.server.web;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Validators and conditional requests (RFC 9110 §13): If-None-Match wins over If-Modified-Since. */
final class Conditional {
  private Conditional() {}

  static String httpDate(long epochMillis) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(
        ZonedDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC));
  }

  static boolean notModified(Context ctx, String etag, long lastModifiedMillis) {
    return notModified(ctx.header("If-None-Match"), ctx.header("If-Modified-Since"), etag, lastModifiedMillis);
  }

  /** As {@link #notModified(Context, String, long)}, from the two header values (null when absent). */
  static boolean notModified(String inm, String ims, String etag, long lastModifiedMillis) {
    if (inm != null) {
      return etagListMatches(inm, etag);
    }
    if (ims != null) {
      try {
        long since = ZonedDateTime.parse(ims.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
        return lastModifiedMillis / 1000 <= since;
      } catch (DateTimeParseException e) {
        return false;
      }
    }
    return false;
  }

  /** If-Range: a strong ETag that equals ours keeps the Range; anything else means "send everything". */
  static boolean rangeStillValid(Context ctx, String etag, long lastModifiedMillis) {
    return rangeStillValid(ctx.header("If-Range"), etag, lastModifiedMillis);
  }

  /** As {@link #rangeStillValid(Context, String, long)}, from the header value (null when absent). */
  static boolean rangeStillValid(String ifRange, String etag, long lastModifiedMillis) {
    if (ifRange == null) {
      return true;
    }
    String v = ifRange.trim();
    if (v.startsWith("\"")) {
      return v.equals(etag);
    }
    try {
      long date = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
      return lastModifiedMillis / 1000 == date;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  // If-None-Match uses weak comparison: W/"x" matches "x".
  private static boolean etagListMatches(String header, String etag) {
    String h = header.trim();
    if (h.equals("*")) {
      return true;
    }
    for (String part : h.split(",")) {
      String t = part.trim();
      if (t.startsWith("W/")) {
        t = t.substring(2);
      }
      if (t.equals(etag)) {
        return true;
      }
    }
    return false;
  }
}
