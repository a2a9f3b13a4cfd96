package io.wharf.server.error;

import java.util.Map;

/**
 * The one family of domain errors. Services throw these; the web layer maps each kind to an HTTP
 * status and a JSON body {@code {"error": code, "message": text, "details": {...}}}, and the CLI
 * prints the message. Nothing below the web layer knows about HTTP.
 */
public class WharfException extends RuntimeException {
  public enum Kind { INVALID, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT, TOO_LARGE, TOO_MANY_REQUESTS, UNAVAILABLE,
    /** an upstream server (a mirror's) failed or answered wrongly */
    BAD_GATEWAY,
    /** an upstream server (a mirror's) did not answer in time */
    GATEWAY_TIMEOUT }

  private final Kind kind;
  private final String code;
  private final Map<String, Object> details;

  public WharfException(Kind kind, String code, String message, Map<String, Object> details) {
    super(message);
    this.kind = kind;
    this.code = code;
    this.details = details == null ? Map.of() : Map.copyOf(details);
  }

  public Kind kind() { return kind; }
  public String code() { return code; }
  public Map<String, Object> details() { return details; }

  public static WharfException invalid(String code, String message) {
    return new WharfException(Kind.INVALID, code, message, null);
  }

  public static WharfException invalid(String code, String message, Map<String, Object> details) {
    return new WharfException(Kind.INVALID, code, message, details);
  }

  public static WharfException notFound(String code, String message) {
    return new WharfException(Kind.NOT_FOUND, code, message, null);
  }

  public static WharfException conflict(String code, String message) {
    return new WharfException(Kind.CONFLICT, code, message, null);
  }

  public static WharfException tooLarge(String message, long limit) {
    return new WharfException(Kind.TOO_LARGE, "too_large", message, Map.of("limit_bytes", limit));
  }

  public static WharfException unauthorized(String message) {
    return new WharfException(Kind.UNAUTHORIZED, "unauthorized", message, null);
  }

  /** Refused for now; {@code retry_after_seconds} in the details says when to try again. */
  public static WharfException tooManyRequests(String message, long retryAfterSeconds) {
    return new WharfException(Kind.TOO_MANY_REQUESTS, "too_many_requests", message,
        Map.of("retry_after_seconds", retryAfterSeconds));
  }

  public static WharfException forbidden(String message) {
    return new WharfException(Kind.FORBIDDEN, "forbidden", message, null);
  }
}
