package io.wharf.server.web;

import io.javalin.http.Context;
import io.wharf.server.metrics.WharfMetrics;
import java.time.Instant;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.NanoTime;

/**
 * Sees every request once it is finished, Jetty's own refusals included: counts it in the metrics and
 * writes its access-log line. Jetty calls it after the last byte of the answer, so the duration and the
 * byte counts are those of the whole exchange. Routes label the request with their template
 * ({@link #label}); a request no route took is labelled {@code unmatched}.
 */
final class RequestObserver implements RequestLog {
  static final String ROUTE = "wharf.route";
  static final String ERROR = "wharf.error";
  private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

  private final WharfMetrics metrics;
  private final AccessLog accessLog;

  RequestObserver(WharfMetrics metrics, AccessLog accessLog) {
    this.metrics = metrics;
    this.accessLog = accessLog;
  }

  /** After a route ran: its template ({@code /conda/{channel}/...}), never the path that was asked for. */
  static void label(Context ctx) {
    var endpoint = ctx.endpoints().lastHttpEndpoint();
    if (endpoint != null) {
      ctx.req().setAttribute(ROUTE, endpoint.path);
    }
  }

  /** The error code of a refusal, for the refused-uploads count. */
  static void error(Context ctx, String code) {
    ctx.req().setAttribute(ERROR, code);
  }

  @Override
  public void log(Request request, Response response) {
    String method = METHODS.contains(request.getMethod()) ? request.getMethod() : "OTHER";
    Object routeAttr = request.getAttribute(ROUTE);
    String route = routeAttr == null ? "unmatched" : routeAttr.toString();
    int status = response.getStatus();
    long nanos = NanoTime.since(request.getBeginNanoTime());
    long sent = Response.getContentBytesWritten(response);
    long received = Request.getContentBytesRead(request);
    metrics.request(method, route, status, nanos, received, sent);
    if (method.equals("PUT") && route.equals(ApiRoutes.UPLOAD_ROUTE)) {
      if (status == 201 || status == 200) {
        metrics.uploadStored(received);
      } else if (status >= 400) {
        Object code = request.getAttribute(ERROR);
        metrics.uploadRefused(code == null ? "http_" + status : code.toString());
      }
    }
    if (accessLog != null) {
      String query = request.getHttpURI().getQuery();
      accessLog.write(new AccessLog.Entry(Request.getRemoteAddr(request),
          Instant.ofEpochMilli(Request.getTimeStamp(request)), request.getMethod(),
          request.getHttpURI().getPath() + (query == null ? "" : "?" + query),
          request.getConnectionMetaData().getProtocol(), status, sent,
          request.getHeaders().get(HttpHeader.REFERER), request.getHeaders().get(HttpHeader.USER_AGENT), route,
          nanos / 1000));
    }
  }
}
