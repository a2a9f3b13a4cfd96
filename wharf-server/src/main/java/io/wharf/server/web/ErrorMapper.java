package io.wharf.server.web;

import io.javalin.http.Context;
import io.wharf.server.error.WharfException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.BadMessageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where errors become HTTP: a status and {@code {"error", "message", "details"}} for API
 * and conda clients, a page with a human sentence for browsers.
 */
public final class ErrorMapper {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

  private ErrorMapper() {}

  public static int status(WharfException.Kind kind) {
    return switch (kind) {
      case INVALID -> 400;
      case UNAUTHORIZED -> 401;
      case FORBIDDEN -> 403;
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
      case TOO_LARGE -> 413;
      case TOO_MANY_REQUESTS -> 429;
      case UNAVAILABLE -> 503;
      case BAD_GATEWAY -> 502;
      case GATEWAY_TIMEOUT -> 504;
    };
  }

  static void handle(WharfException e, Context ctx, PageRenderer pages) {
    int status = status(e.kind());
    if (status == 401) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"wharf\"");
    }
    if (e.details().get("retry_after_seconds") instanceof Long seconds) {
      ctx.header("Retry-After", String.valueOf(seconds));
    }
    respond(ctx, status, e.code(), e.getMessage(), e.details(), pages);
  }

  static void unexpected(Exception e, Context ctx, PageRenderer pages) {
    LOG.error("unexpected error on {} {}", ctx.method(), LogRedaction.text(ctx.path()), LogRedaction.throwable(e));
    respond(ctx, 500, "internal_error", "the server failed to handle this request; the error was logged",
        Map.of(), pages);
  }

  /**
   * Jetty's own refusal of a request it was reading, e.g. 408 for a body that fell behind the minimum data
   * rate. What is left of the body is in an unknown state, so the connection is closed after the answer.
   */
  static void jettyRefusal(BadMessageException e, Context ctx, PageRenderer pages) {
    ctx.header("Connection", "close");
    boolean slow = e.getCode() == 408;
    respond(ctx, e.getCode(), slow ? "request_too_slow" : "bad_request",
        slow ? "the request body arrived too slowly (" + e.getReason() + ")" : String.valueOf(e.getReason()),
        Map.of(), pages);
  }

  static void respond(Context ctx, int status, String code, String message, Map<String, Object> details,
      PageRenderer pages) {
    ctx.status(status);
    RequestObserver.error(ctx, code);
    if (wantsHtml(ctx)) {
      pages.error(ctx, status, message);
      return;
    }
    ctx.json(body(code, message, details));
  }

  /** The JSON error body every refusal carries. */
  static Map<String, Object> body(String code, String message, Map<String, Object> details) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", code);
    body.put("message", message);
    body.put("details", details);
    return body;
  }

  /** Browsers asking for UI pages get HTML; everything under /api, /conda, /t and health gets JSON. */
  static boolean wantsHtml(Context ctx) {
    String path = ctx.path();
    if (path.startsWith("/api/") || path.startsWith("/conda/") || path.startsWith("/t/")
        || path.startsWith("/health/")) {
      return false;
    }
    String accept = ctx.header("Accept");
    return accept != null && accept.contains("text/html");
  }
}
