package io.wharf.server.web;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.wharf.server.auth.AuthServices;
import io.wharf.server.catalog.CatalogService;
import io.wharf.server.catalog.PackageDetails;
import io.wharf.server.error.WharfException;
import io.wharf.server.stats.DownloadTotals;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A package's downloads per UTC day: {@code GET /api/channels/<c>/packages/<name>/downloads?from=&to=}. */
final class DownloadRoutes {
  /** Days shown when the request names no range: the last 30, today included. */
  static final int DEFAULT_DAYS = 30;

  private final CatalogService catalog;
  private final AuthServices auth;
  private final DownloadTotals totals;

  DownloadRoutes(CatalogService catalog, AuthServices auth, DownloadTotals totals) {
    this.catalog = catalog;
    this.auth = auth;
    this.totals = totals;
  }

  void register(RouteTable api) {
    api.add(HandlerType.GET, "/api/channels/{channel}/packages/{name}/downloads", this::daily);
  }

  private void daily(Context ctx) {
    PackageDetails d = catalog.details(ctx.pathParam("channel"), ctx.pathParam("name"),
        RequestAuth.principal(ctx, auth));
    Range r = range(ctx.queryParam("from"), ctx.queryParam("to"), LocalDate.now(ZoneOffset.UTC));
    List<DownloadTotals.Day> days = totals.daily(d.channel().id(), d.name(), r.from(), r.to());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("channel", d.channel().name());
    body.put("name", d.name());
    body.put("from", r.from().toString());
    body.put("to", r.to().toString());
    body.put("total", days.stream().mapToLong(DownloadTotals.Day::downloads).sum());
    body.put("downloads", totals.forPackage(d.channel().id(), d.name()));
    body.put("days", days.stream().map(x -> Map.of("date", x.date().toString(), "downloads", x.downloads()))
        .toList());
    ctx.json(body);
  }

  record Range(LocalDate from, LocalDate to) {}

  /**
   * The requested days, both ends included: {@code to} defaults to today (UTC), {@code from} to
   * {@link #DEFAULT_DAYS} days up to {@code to}.
   */
  static Range range(String from, String to, LocalDate today) {
    LocalDate end = date("to", to, today);
    LocalDate start = date("from", from, end.minusDays(DEFAULT_DAYS - 1));
    return new Range(start, end);
  }

  private static LocalDate date(String name, String value, LocalDate fallback) {
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return LocalDate.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw WharfException.invalid("invalid_" + name, name + " must be a date such as 2026-01-31, got '" + value
          + "'");
    }
  }
}
