package io.wharf.server.web;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.HttpResponseException;
import io.wharf.server.auth.AuthServices;
import io.wharf.server.mirror.MirrorService;
import io.wharf.server.vuln.VulnerabilityService;
import io.wharf.server.catalog.CatalogService;
import io.wharf.server.channel.ChannelService;
import io.wharf.server.config.HttpLimits;
import io.wharf.server.config.Operations;
import io.wharf.server.metrics.WharfMetrics;
import io.javalin.http.HandlerType;
import java.io.PrintStream;
import io.wharf.server.error.WharfException;
import io.wharf.server.index.IndexService;
import io.wharf.server.jobs.JobService;
import io.wharf.server.pkg.ImportService;
import io.wharf.server.history.jdbc.ChannelHistory;
import io.wharf.server.pkg.PackageService;
import io.wharf.server.pkg.PackageTransfers;
import io.wharf.server.pkg.UploadService;
import io.wharf.server.sbom.SbomService;
import io.wharf.server.config.TrustedProxies;
import io.wharf.server.stats.Downloads;
import io.wharf.server.storage.BlobStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.io.EofException;

/** Builds the HTTP server: conda protocol, REST API, docs, UI and health, with one error mapping. */
public final class WebServer {
  public record Services(ChannelService channels, PackageService packages, UploadService uploads,
      ImportService imports, IndexService index, CatalogService catalog, BlobStore blobs, AuthServices auth,
      HealthCheck database, PackageTransfers transfers, ChannelHistory history, SbomService sboms,
      VulnerabilityService vulnerabilities, io.wharf.server.check.IntegrityCheck integrity, JobService jobs,
      io.wharf.server.trust.JdbcTrustMetadata trust, MirrorService mirrors, Downloads downloads,
      io.wharf.server.patch.PatchService patches, io.wharf.server.search.SearchIndexer searchIndex) {}

  /** Readiness check of a backing service. */
  public interface HealthCheck {
    void check() throws Exception;
  }

  static final long MAX_JSON_BODY = 1024 * 1024;

  private final Javalin app;
  private final RouteTable routeTable;
  private final PublicUrls urls;
  private final AccessLog accessLog;

  private WebServer(Javalin app, RouteTable routeTable, PublicUrls urls, AccessLog accessLog) {
    this.app = app;
    this.accessLog = accessLog;
    this.routeTable = routeTable;
    this.urls = urls;
  }

  public static WebServer create(Services s) {
    return create(s, new PublicUrls(null, TrustedProxies.none()), HttpLimits.defaults());
  }

  public static WebServer create(Services s, PublicUrls urls) {
    return create(s, urls, HttpLimits.defaults());
  }

  public static WebServer create(Services s, HttpLimits limits) {
    return create(s, new PublicUrls(null, TrustedProxies.none()), limits);
  }

  public static WebServer create(Services s, PublicUrls urls, HttpLimits limits) {
    return create(s, urls, limits, Operations.defaults(), new WharfMetrics(), System.out);
  }

  /** With the metrics this server feeds, who may read them, its access log and its stop bound. */
  public static WebServer create(Services s, PublicUrls urls, HttpLimits limits, Operations ops,
      WharfMetrics metrics, PrintStream stdout) {
    AccessLog accessLog = AccessLog.open(ops, stdout);
    if (accessLog != null) {
      metrics.accessLogDropped(accessLog::dropped);
    }
    PageRenderer pages = new PageRenderer();
    AtomicReference<RouteTable> table = new AtomicReference<>();
    HttpSemantics http = new HttpSemantics();
    Javalin app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.appData(PublicUrls.KEY, urls);
      // Compression is ours: repodata is pre-compressed once, and .zst/.conda must never be re-encoded.
      config.http.compressionStrategy = CompressionStrategy.NONE;
      config.http.maxRequestSize = MAX_JSON_BODY; // JSON bodies; uploads stream and are bounded by UploadService
      config.router.ignoreTrailingSlashes = true;
      config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
      config.jetty.modifyHttpConfiguration(h -> h.addCustomizer(new SecurityHeaders()));
      http.configure(config, pages);
      JettyLimits.apply(config.jetty, limits);
      Shutdown.configure(config.jetty, ops.shutdownTimeoutMillis(),
          new CondaFastPath(s.channels(), s.index(), s.blobs(), s.downloads().counter()));
      config.jetty.modifyServer(server -> server.setRequestLog(new RequestObserver(metrics, accessLog)));
      config.routes.addHttpHandler(HandlerType.AFTER, "*", RequestObserver::label);
      config.routes.exception(WharfException.class, (e, ctx) -> {
        UnreadBody.drain(ctx, limits.minRequestBytesPerSecond()); // any route may refuse before reading a body
        ErrorMapper.handle(e, ctx, pages);
      });
      config.routes.exception(EofException.class, (e, ctx) -> ctx.status(400));
      config.routes.exception(BadMessageException.class, (e, ctx) -> ErrorMapper.jettyRefusal(e, ctx, pages));
      // Javalin's own refusals, e.g. a JSON body over maxRequestSize: same JSON shape as ours.
      config.routes.exception(HttpResponseException.class, (e, ctx) -> {
        UnreadBody.drain(ctx, limits.minRequestBytesPerSecond());
        if (e.getStatus() == 404) { // no route for this path, whatever the method
          notFound(ctx, pages);
          return;
        }
        ErrorMapper.respond(ctx, e.getStatus(), e.getStatus() == 413 ? "body_too_large" : "http_" + e.getStatus(),
            e.getStatus() == 413 ? "the request body is larger than the " + MAX_JSON_BODY + " bytes accepted here"
                : String.valueOf(e.getMessage()), Map.of(), pages);
      });
      config.routes.exception(Exception.class, (e, ctx) -> ErrorMapper.unexpected(e, ctx, pages));
      config.routes.error(404, ctx -> {
        if (ctx.result() == null) {
          notFound(ctx, pages);
        }
      });
      RouteTable api = new RouteTable(config.routes);
      table.set(api);
      new ApiRoutes(s.channels(), s.packages(), s.uploads(), s.auth(), s.index(), s.vulnerabilities(),
          limits.minRequestBytesPerSecond(), s.mirrors()::passiveAmong, s.downloads().totals())
          .patchedBy(s.patches()).register(api);
      new ImportRoutes(s.channels(), s.packages(), s.imports(), s.auth(), s.index(), s.searchIndex(), s.jobs(),
          limits.minRequestBytesPerSecond()).register(api);
      new SbomRoutes(s.sboms(), s.auth()).register(api);
      new TransferRoutes(s.channels(), s.transfers(), s.auth(), s.index(), s.searchIndex()).register(api);
      new HistoryRoutes(s.channels(), s.history(), s.auth(), pages).register(api, config.routes);
      new CondaRoutes(s.channels(), s.index(), s.blobs(), s.auth(), s.mirrors()::fetchPassive,
          s.downloads().counter()).register(config.routes);
      new MirrorRoutes(s.channels(), s.mirrors(), s.auth(), s.jobs()).register(api);
      new PolicyRoutes(s.mirrors(), s.auth()).register(api);
      new PatchRoutes(s.patches(), s.auth(), s.index(), limits.minRequestBytesPerSecond()).register(api);
      new MirrorPages(s.channels(), s.mirrors(), s.auth(), pages).register(config.routes);
      new PolicyPages(s.mirrors(), s.auth(), pages).register(config.routes);
      new DocsRoutes().register(config.routes);
      new TrustRoutes(s.trust()).register(config.routes);
      new CatalogRoutes(s.catalog(), s.auth(), s.downloads().totals()).register(api);
      new CveRoutes(s.channels(), s.packages(), s.vulnerabilities(), s.auth(), s.jobs(),
          limits.minRequestBytesPerSecond()).register(api);
      new JobRoutes(s.jobs(), s.auth(), pages).register(api, config.routes);
      new DownloadRoutes(s.catalog(), s.auth(), s.downloads().totals()).register(api);
      new AccountRoutes(s.auth()).register(api);
      new CheckRoutes(s.integrity(), s.auth()).register(api);
      new SessionPages(s.auth(), pages).register(config.routes);
      new AccountUiPages(s.auth(), pages, s.auth().tokens().defaultDays(), s.auth().tokens().maxDays())
          .register(config.routes);
      new UiRoutes(s.channels(), s.packages(), s.catalog(), s.auth(), pages).register(config.routes);
      io.wharf.server.badge.BadgeService badges = new io.wharf.server.badge.BadgeService(s.channels(), s.packages(),
          java.time.Clock.systemUTC(),
          (channel, label, name) -> s.downloads().totals().forPackage(channel.id(), label, name));
      new BadgeRoutes(badges, s.auth()).register(api);
      new CatalogPages(s.catalog(), s.auth(), pages, s.vulnerabilities(), badges, s.mirrors()::passiveAmong,
          s.downloads().totals()).patchedBy(s.patches()).register(config.routes);
      new CvePages(s.channels(), s.packages(), s.vulnerabilities(), s.auth(), pages).register(config.routes);
      Map<String, HealthRoutes.Probe> probes = new LinkedHashMap<>();
      probes.put("database", s.database()::check);
      probes.put("storage", s.blobs()::check);
      new HealthRoutes(probes).register(config.routes);
      new MetricsRoutes(metrics, ops).register(config.routes);
    });
    http.install(app);
    return new WebServer(app, table.get(), urls, accessLog);
  }

  private static void notFound(io.javalin.http.Context ctx, PageRenderer pages) {
    ErrorMapper.respond(ctx, 404, "not_found", "there is nothing at " + ctx.path(), Map.of(), pages);
  }

  public WebServer start(String host, int port) {
    app.start(host, port);
    urls.listening(host, app.port());
    return this;
  }

  public int port() {
    return app.port();
  }

  /** The origin this server writes into absolute URLs when no proxy says otherwise. */
  public String advertisedUrl() {
    return urls.advertised();
  }

  public RouteTable routeTable() {
    return routeTable;
  }

  /** Stops accepting, lets requests in flight finish within the stop bound, then closes what is left. */
  public void stop() {
    app.stop();
    if (accessLog != null) {
      accessLog.close();
    }
  }
}
