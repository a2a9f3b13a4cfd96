package io.wharf.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The server's meters, in one registry per running server, scraped in the Prometheus text format. Label
 * values come from small fixed sets only (route templates, methods, status codes, error codes): a raw path
 * would put channel names and conda tokens into labels and give every path a series of its own.
 */
public final class WharfMetrics implements AutoCloseable {
  /** Latency buckets from a cached repodata answer (milliseconds) to a large upload (a minute). */
  private static final Duration[] LATENCY_BUCKETS = {
      Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
      Duration.ofSeconds(60)};

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();

  public WharfMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** One finished request: {@code route} is the route template, or a fixed word when no route matched. */
  public void request(String method, String route, int status, long nanos, long bytesIn, long bytesOut) {
    timers.computeIfAbsent(new RequestKey(method, route, status), this::timer).record(nanos, TimeUnit.NANOSECONDS);
    if (bytesOut > 0) {
      sent.computeIfAbsent(route, r -> Counter.builder("wharf.http.sent").baseUnit("bytes")
          .description("response body bytes by route template").tag("route", r).register(registry))
          .increment(bytesOut);
    }
    if (bytesIn > 0) {
      received.computeIfAbsent(route, r -> Counter.builder("wharf.http.received").baseUnit("bytes")
          .description("request body bytes by route template").tag("route", r).register(registry))
          .increment(bytesIn);
    }
  }

  // Building and registering a meter costs more than answering a 304; the keys come from small fixed sets.
  private record RequestKey(String method, String route, int status) {}

  private final Map<RequestKey, Timer> timers = new ConcurrentHashMap<>();
  private final Map<String, Counter> sent = new ConcurrentHashMap<>();
  private final Map<String, Counter> received = new ConcurrentHashMap<>();

  private Timer timer(RequestKey k) {
    return Timer.builder("wharf.http.requests").description("HTTP requests by route template, method and status")
        .tags("method", k.method(), "route", k.route(), "status", String.valueOf(k.status()))
        .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
  }

  /** An upload that was stored; {@code bytes} is the size of the package file. */
  public void uploadStored(long bytes) {
    Counter.builder("wharf.uploads.stored").description("package uploads stored").register(registry).increment();
    Counter.builder("wharf.uploads").baseUnit("bytes").description("bytes of stored package uploads")
        .register(registry).increment(bytes);
  }

  /** An upload that was refused; {@code reason} is the error code of the answer ({@code too_large}, ...). */
  public void uploadRefused(String reason) {
    Counter.builder("wharf.uploads.refused").description("package uploads refused, by error code")
        .tag("reason", reason).register(registry).increment();
  }

  /** One round of the publisher: every location it rebuilt, in one go. */
  public void publication(long nanos) {
    Timer.builder("wharf.publication").description("time to publish one batch of changes (repodata, shards)")
        .serviceLevelObjectives(LATENCY_BUCKETS).register(registry).record(Duration.ofNanos(nanos));
  }

  /** Channel subdirs this node holds published; each costs heap for its names. */
  public void publishedSubdirs(IntSupplier count) {
    Gauge.builder("wharf.published.subdirs", count::getAsInt)
        .description("channel subdirs this node holds published and keeps current").register(registry);
  }

  /** Locations waiting for the publisher. */
  public void publicationQueue(IntSupplier length) {
    Gauge.builder("wharf.publication.queue", length::getAsInt)
        .description("channel locations waiting to be published").register(registry);
  }

  private volatile java.util.function.LongSupplier searchIndexFailed;

  /** The search index's queue of bulk writers' batches, and the batches it failed to index; read when scraped. */
  public void searchIndex(IntSupplier queued, java.util.function.LongSupplier failed) {
    searchIndexFailed = failed; // the meter holds it only weakly
    Gauge.builder("wharf.search.index.queue", queued::getAsInt)
        .description("file batches waiting for the search index").register(registry);
    io.micrometer.core.instrument.FunctionCounter.builder("wharf.search.index.failed", failed, f -> f.getAsLong())
        .description("file batches the search index failed to index (left to the reconcile at start)")
        .register(registry);
  }

  private volatile java.util.function.LongSupplier accessLogDropped;

  /** Access-log lines lost because the log could not be written as fast as requests came; read when scraped. */
  public void accessLogDropped(java.util.function.LongSupplier lines) {
    accessLogDropped = lines; // the meter holds it only weakly
    io.micrometer.core.instrument.FunctionCounter.builder("wharf.access.log.dropped", lines,
        l -> l.getAsLong()).description("access-log lines dropped because the writer could not keep up")
        .register(registry);
  }

  /** The database connection pool, read when scraped. */
  public void databasePool(IntSupplier active, IntSupplier idle, IntSupplier waiting, int max) {
    Gauge.builder("wharf.db.pool.connections", active::getAsInt).tag("state", "active")
        .description("database connections by state").register(registry);
    Gauge.builder("wharf.db.pool.connections", idle::getAsInt).tag("state", "idle")
        .description("database connections by state").register(registry);
    Gauge.builder("wharf.db.pool.waiting", waiting::getAsInt)
        .description("threads waiting for a database connection").register(registry);
    Gauge.builder("wharf.db.pool.max", () -> max).description("largest size of the database connection pool")
        .register(registry);
  }

  /** The Prometheus text exposition format (version 0.0.4). */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
