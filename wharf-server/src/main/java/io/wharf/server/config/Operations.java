package io.wharf.server.config;

import java.nio.file.Path;

/**
 * How the server is observed and stopped: who may scrape {@code /metrics}, the access log, the application
 * log, and how long a stop waits for requests in flight.
 *
 * @param metricsToken the bearer token a scraper sends; null when none is configured
 * @param metricsAllow addresses that may scrape without the token; none by default
 * @param accessLog where one line per request goes: null for nowhere, {@link #STDOUT}, or a file (appended)
 * @param accessLogFormat {@code combined} (Combined Log Format) or {@code json} (one object per line)
 * @param shutdownTimeoutMillis how long a stop waits for requests in flight before it closes their connections
 * @param logFormat how the application log (stderr) is written: {@code text} or {@code json}
 * @param logLevel the level of Wharf's own loggers: {@code error}, {@code warn}, {@code info}, {@code debug}
 *     or {@code trace}; libraries log from WARN up whatever it is
 */
public record Operations(String metricsToken, TrustedProxies metricsAllow, Path accessLog,
    AccessLogFormat accessLogFormat, long shutdownTimeoutMillis, LogFormat logFormat, String logLevel) {
  /** {@code access.log=stdout}: the process's standard output, for a service manager or a container runtime. */
  public static final Path STDOUT = Path.of("-");
  public static final long DEFAULT_SHUTDOWN_TIMEOUT_MILLIS = 30_000;

  public enum AccessLogFormat { COMBINED, JSON }

  public enum LogFormat { TEXT, JSON }

  /** The levels {@code log.level} accepts, most severe first. */
  public static final java.util.List<String> LOG_LEVELS = java.util.List.of("error", "warn", "info", "debug", "trace");

  /** No scraping, no access log, the default stop bound. */
  public static Operations defaults() {
    return new Operations(null, TrustedProxies.none(), null, AccessLogFormat.COMBINED,
        DEFAULT_SHUTDOWN_TIMEOUT_MILLIS, LogFormat.TEXT, "info");
  }

  /** True when a scraper could get in at all: the endpoint answers 403 to everyone otherwise. */
  public boolean metricsEnabled() {
    return metricsToken != null || !metricsAllow.isEmpty();
  }
}
