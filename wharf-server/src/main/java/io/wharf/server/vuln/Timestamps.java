package io.wharf.server.vuln;

import io.wharf.server.error.WharfException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** RFC 3339 times of OSV, and NVD's zone-less times, which the NVD API documents as UTC. */
final class Timestamps {
  private Timestamps() {}

  static Instant parse(String text, String field, String recordId) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException zoneless) {
      try {
        return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        throw WharfException.invalid("bad_record", recordId + ": '" + field + "' is not a date: " + text);
      }
    }
  }
}
