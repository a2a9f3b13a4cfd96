package io.wharf.server.cli;

import io.wharf.server.Wharf;
import io.wharf.server.WharfApp;
import io.wharf.server.config.ConfigLoader;
import io.wharf.server.config.Operations;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.logging.Logging;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Start the Wharf server (SQLite and local disk under --data unless configured otherwise).")
public final class ServeCommand implements Callable<Integer> {
  @Option(names = "--port", description = "HTTP port (default 8080; env WHARF_PORT)")
  Integer port;

  @Option(names = "--host", description = "address to listen on (default 0.0.0.0; env WHARF_HOST)")
  String host;

  @Option(names = "--data", description = "data directory (default ./wharf-data; env WHARF_DATA)")
  Path data;

  @Option(names = "--db-url", description = "JDBC URL, e.g. jdbc:postgresql://host/db (env WHARF_DB_URL)")
  String dbUrl;

  @Option(names = "--db-user", description = "database user (env WHARF_DB_USER)")
  String dbUser;

  @Option(names = "--db-password", description = "database password (env WHARF_DB_PASSWORD)")
  String dbPassword;

  @Option(names = "--storage", description = "blob storage: a directory or s3://KEY:SECRET@host:port/bucket/prefix (env WHARF_STORAGE)")
  String storage;

  @Option(names = "--max-upload", description = "largest accepted upload, e.g. 500M or 2G (env WHARF_MAX_UPLOAD)")
  String maxUpload;

  @Option(names = "--change-check-ms", description = "how often to look for channel changes made by other"
      + " nodes sharing the database, in milliseconds (default 2000; env WHARF_CHANGE_CHECK_MS)")
  Long changeCheckMs;

  @Option(names = "--public-url", description = "the URL clients reach this server at, used in every absolute"
      + " URL Wharf writes, e.g. https://conda.example.com (default: the listening address; env WHARF_PUBLIC_URL)")
  String publicUrl;

  @Option(names = "--trusted-proxies", description = "comma-separated addresses or CIDR blocks of reverse proxies"
      + " whose X-Forwarded-Proto/-Host are believed when no public URL is set (default: none;"
      + " env WHARF_TRUSTED_PROXIES)")
  String trustedProxies;
  @Option(names = "--http-threads", description = "most requests handled at once (default 250;"
      + " env WHARF_HTTP_THREADS)")
  Integer httpThreads;

  @Option(names = "--http-idle-timeout-ms", description = "close a connection that makes no progress for this"
      + " long (default 30000; env WHARF_HTTP_IDLE_TIMEOUT_MS)")
  Long httpIdleTimeoutMs;

  @Option(names = "--http-min-request-rate", description = "slowest average pace of a request body in bytes"
      + " per second, e.g. 4K; 0 turns the check off (default 4K; env WHARF_HTTP_MIN_REQUEST_RATE)")
  String httpMinRequestRate;

  @Option(names = "--config", description = "properties file with the same keys (port, data, db.url, storage, ...)")
  Path configFile;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "any setting of the configuration file, e.g."
      + " --set stats.flush.ms=10000 (repeatable; a named option above wins over --set of the same key)")
  Map<String, String> settings = new HashMap<>();

  @Override
  public Integer call() throws Exception {
    Map<String, String> flags = new HashMap<>(settings);
    if (port != null) {
      flags.put("port", port.toString());
    }
    put(flags, "host", host);
    put(flags, "data", data == null ? null : data.toString());
    put(flags, "db.url", dbUrl);
    put(flags, "db.user", dbUser);
    put(flags, "db.password", dbPassword);
    put(flags, "storage", storage);
    put(flags, "max.upload", maxUpload);
    put(flags, "change.check.ms", changeCheckMs == null ? null : changeCheckMs.toString());
    put(flags, "public.url", publicUrl);
    put(flags, "trusted.proxies", trustedProxies);
    put(flags, "http.threads", httpThreads == null ? null : httpThreads.toString());
    put(flags, "http.idle.timeout.ms", httpIdleTimeoutMs == null ? null : httpIdleTimeoutMs.toString());
    put(flags, "http.min.request.rate", httpMinRequestRate);
    WharfConfig config = ConfigLoader.load(configFile, System.getenv(), flags);
    Logging.configure(config.operations().logFormat(), config.operations().logLevel());
    WharfApp app = WharfApp.start(config, System.out);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      app.close();
      stopped.countDown();
    }));
    String serving = "Wharf is serving on " + app.advertisedUrl() + " (listening on " + config.host() + ":"
        + app.port() + ", data in " + config.dataDir() + ")";
    if (config.operations().logFormat() == Operations.LogFormat.JSON) {
      LoggerFactory.getLogger(Wharf.class).info(serving); // a shipper reading the output sees only JSON
    } else {
      System.out.println(serving);
    }
    stopped.await();
    return 0;
  }

  private static void put(Map<String, String> m, String k, String v) {
    if (v != null) {
      m.put(k, v);
    }
  }
}
