package io.wharf.server.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.wharf.server.config.Operations;
import io.wharf.server.error.WharfException;
import io.wharf.server.metrics.WharfMetrics;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code GET /metrics} in the Prometheus text format. Never public: the scraper sends the configured
 * {@code metrics.token} as {@code Authorization: Bearer}, or connects from a {@code metrics.allow} address
 * (the peer of the connection, not a forwarded address). With neither configured, everyone is refused.
 */
final class MetricsRoutes {
  static final String PATH = "/metrics";
  /** https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format */
  private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final WharfMetrics metrics;
  private final Operations ops;

  MetricsRoutes(WharfMetrics metrics, Operations ops) {
    this.metrics = metrics;
    this.ops = ops;
  }

  void register(RoutesConfig routes) {
    routes.addHttpHandler(HandlerType.GET, PATH, this::scrape);
  }

  private void scrape(Context ctx) {
    requireScraper(ctx);
    ctx.header("Cache-Control", "no-store");
    ctx.contentType(CONTENT_TYPE).result(metrics.scrape());
  }

  private void requireScraper(Context ctx) {
    if (!ops.metricsEnabled()) {
      throw new WharfException(WharfException.Kind.FORBIDDEN, "metrics_disabled",
          "metrics are not enabled on this server; set metrics.token or metrics.allow", null);
    }
    if (ops.metricsAllow().trusts(ctx.req().getRemoteAddr())) {
      return;
    }
    String header = ctx.header("Authorization");
    if (ops.metricsToken() == null) {
      throw WharfException.forbidden("this address may not read the metrics");
    }
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw WharfException.unauthorized("send the metrics token as Authorization: Bearer <token>");
    }
    byte[] sent = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(sent, ops.metricsToken().getBytes(StandardCharsets.UTF_8))) {
      throw WharfException.forbidden("the metrics token is not valid");
    }
  }
}
