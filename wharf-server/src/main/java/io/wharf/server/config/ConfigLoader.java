package io.wharf.server.config;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Resolves {@link WharfConfig} with the precedence file &lt; {@code WHARF_*} environment &lt; flags.
 * Keys are the same everywhere: {@code port} in a file or flag map is {@code WHARF_PORT} in the
 * environment. A key or {@code WHARF_*} variable the server does not know is an error, not ignored: a
 * misspelt {@code db.url} would otherwise start an empty SQLite database next to a production bucket.
 */
public final class ConfigLoader {
  /** Every setting the server reads. */
  public static final List<String> KEYS = List.of("host", "port", "data", "db.url", "db.user", "db.password",
      "storage", "max.upload", "admin.token", "change.check.ms", "public.url", "trusted.proxies", "http.threads",
      "http.idle.timeout.ms", "http.min.request.rate", "token.expiry.default.days", "token.expiry.max.days",
      "metrics.token", "metrics.allow", "access.log", "access.log.format", "shutdown.timeout.ms", "signing.keys",
      "mirror.secret.key", "mirror.timeout.ms", "stats.downloads", "stats.flush.ms", "log.format", "log.level",
      "import.directories");
  /** {@code WHARF_*} variables that belong to others: the command-line client and launcher, tests, benchmarks. */
  static final Set<String> OTHER_VARIABLES = Set.of("WHARF_URL", "WHARF_TOKEN", "WHARF_JAVA_OPTS",
      "WHARF_E2E_REQUIRED", "WHARF_FIXTURES");
  static final List<String> OTHER_PREFIXES = List.of("WHARF_TEST_", "WHARF_BENCH_");
  private static final String ENV_PREFIX = "WHARF_";

  private ConfigLoader() {}

  public static WharfConfig load(Path configFile, Map<String, String> env, Map<String, String> flags) {
    Map<String, String> merged = new HashMap<>();
    if (configFile != null) {
      Map<String, String> file = readFile(configFile);
      requireKnown(file.keySet(), "in configuration file " + configFile);
      merged.putAll(file);
    }
    requireKnownVariables(env.keySet());
    env.forEach((k, v) -> {
      if (isServerVariable(k) && v != null && !v.isBlank()) {
        merged.put(k.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), v);
      }
    });
    requireKnown(flags.keySet(), "among the flags");
    flags.forEach((k, v) -> {
      if (v != null) {
        merged.put(k, v);
      }
    });
    return fromMap(merged);
  }

  /** {@code db.url} is read from {@code WHARF_DB_URL}. */
  public static String variable(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  private static boolean isServerVariable(String name) {
    return KEYS.stream().anyMatch(k -> variable(k).equals(name));
  }

  private static void requireKnown(Set<String> keys, String where) {
    List<String> unknown = keys.stream().filter(k -> !KEYS.contains(k)).sorted().toList();
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown setting" + (unknown.size() > 1 ? "s " : " ")
          + unknown.stream().map(k -> "'" + k + "'").collect(Collectors.joining(", ")) + " " + where
          + "; valid settings: " + String.join(", ", KEYS));
    }
  }

  private static void requireKnownVariables(Set<String> names) {
    List<String> unknown = names.stream()
        .filter(n -> n.startsWith(ENV_PREFIX) && !isServerVariable(n) && !OTHER_VARIABLES.contains(n)
            && OTHER_PREFIXES.stream().noneMatch(n::startsWith))
        .sorted().toList();
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown environment variable" + (unknown.size() > 1 ? "s " : " ")
          + String.join(", ", unknown) + "; the server reads "
          + KEYS.stream().map(ConfigLoader::variable).collect(Collectors.joining(", "))
          + " (WHARF_URL, WHARF_TOKEN and WHARF_JAVA_OPTS belong to the command line; WHARF_E2E_REQUIRED,"
          + " WHARF_FIXTURES, WHARF_TEST_* and WHARF_BENCH_* to the tests and benchmarks)");
    }
  }

  static WharfConfig fromMap(Map<String, String> m) {
    Path data = Path.of(m.getOrDefault("data", "wharf-data")).toAbsolutePath().normalize();
    return new WharfConfig(
        m.getOrDefault("host", "0.0.0.0"),
        parseInt("port", m.getOrDefault("port", "8080")),
        data,
        blankToNull(m.get("db.url")),
        blankToNull(m.get("db.user")),
        blankToNull(m.get("db.password")),
        blankToNull(m.get("storage")),
        parseSize("max.upload", m.getOrDefault("max.upload", String.valueOf(WharfConfig.DEFAULT_MAX_UPLOAD))),
        blankToNull(m.get("admin.token")),
        parseMillis("change.check.ms",
            m.getOrDefault("change.check.ms", String.valueOf(WharfConfig.DEFAULT_CHANGE_CHECK_MILLIS))),
        publicUrl(blankToNull(m.get("public.url"))),
        TrustedProxies.parse(list(m.get("trusted.proxies"))),
        httpLimits(m),
        tokenExpiry(m),
        operations(m),
        m.containsKey("signing.keys") && !m.get("signing.keys").isBlank()
            ? Path.of(m.get("signing.keys")).toAbsolutePath().normalize() : data.resolve("signing"),
        mirrorKey(blankToNull(m.get("mirror.secret.key"))),
        parseMillis("mirror.timeout.ms",
            m.getOrDefault("mirror.timeout.ms", String.valueOf(WharfConfig.DEFAULT_MIRROR_TIMEOUT_MILLIS))),
        downloadStats(m),
        importDirectories(list(m.get("import.directories"))));
  }

  /** Absolute directories, each as written (it need not exist yet); a relative one is an error. */
  static List<Path> importDirectories(List<String> entries) {
    List<Path> out = new java.util.ArrayList<>();
    for (String e : entries) {
      Path p = Path.of(e);
      if (!p.isAbsolute()) {
        throw new IllegalArgumentException("import.directories takes absolute directories, got '" + e + "'");
      }
      out.add(p.normalize());
    }
    return List.copyOf(out);
  }

  private static Operations operations(Map<String, String> m) {
    String token = blankToNull(m.get("metrics.token"));
    if (token != null && token.trim().length() < 16) {
      throw new IllegalArgumentException("metrics.token must be at least 16 characters (it is a password)");
    }
    String log = blankToNull(m.get("access.log"));
    String format = m.getOrDefault("access.log.format", "combined").trim().toLowerCase(Locale.ROOT);
    if (!format.equals("combined") && !format.equals("json")) {
      throw new IllegalArgumentException("access.log.format must be combined or json, got '" + format + "'");
    }
    return new Operations(token == null ? null : token.trim(),
        TrustedProxies.parse("metrics.allow", list(m.get("metrics.allow"))),
        log == null || log.trim().equals("off") ? null
            : log.trim().equals("stdout") ? Operations.STDOUT : Path.of(log.trim()).toAbsolutePath().normalize(),
        Operations.AccessLogFormat.valueOf(format.toUpperCase(Locale.ROOT)),
        parseBounded("shutdown.timeout.ms", m.get("shutdown.timeout.ms"), Operations.DEFAULT_SHUTDOWN_TIMEOUT_MILLIS,
            0, 600_000, "milliseconds"),
        logFormat(m.getOrDefault("log.format", "text")), logLevel(m.getOrDefault("log.level", "info")));
  }

  private static Operations.LogFormat logFormat(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (!v.equals("text") && !v.equals("json")) {
      throw new IllegalArgumentException("log.format must be text or json, got '" + value + "'");
    }
    return Operations.LogFormat.valueOf(v.toUpperCase(Locale.ROOT));
  }

  private static String logLevel(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (!Operations.LOG_LEVELS.contains(v)) {
      throw new IllegalArgumentException("log.level must be one of " + String.join(", ", Operations.LOG_LEVELS)
          + ", got '" + value + "'");
    }
    return v;
  }

  /** Base64 of 32 bytes (the AES-256 key sealing mirror credentials), checked here so a bad one stops start-up. */
  static String mirrorKey(String value) {
    if (value == null) {
      return null;
    }
    byte[] key;
    try {
      key = java.util.Base64.getDecoder().decode(value.trim());
    } catch (IllegalArgumentException e) {
      key = new byte[0];
    }
    if (key.length != 32) {
      throw new IllegalArgumentException("mirror.secret.key must be the base64 of 32 random bytes"
          + " (e.g. from: head -c 32 /dev/urandom | base64)");
    }
    return value.trim();
  }

  /** Whether completed package downloads are counted, and how often the counts are written. */
  private static WharfConfig.DownloadStats downloadStats(Map<String, String> m) {
    String on = m.getOrDefault("stats.downloads", "true").trim().toLowerCase(Locale.ROOT);
    if (!on.equals("true") && !on.equals("false")) {
      throw new IllegalArgumentException("stats.downloads must be true or false, got '" + m.get("stats.downloads")
          + "'");
    }
    return new WharfConfig.DownloadStats(on.equals("true"), parseBounded("stats.flush.ms", m.get("stats.flush.ms"),
        WharfConfig.DownloadStats.DEFAULT_FLUSH_MILLIS, 100, 60_000, "milliseconds"));
  }

  /** Days a new token lives when its creator does not say, and the most a creator may ask for. */
  private static WharfConfig.TokenExpiry tokenExpiry(Map<String, String> m) {
    int max = (int) parseBounded("token.expiry.max.days", m.get("token.expiry.max.days"),
        WharfConfig.TokenExpiry.DEFAULT_MAX_DAYS, 1, 36_500, "days");
    int dflt = (int) parseBounded("token.expiry.default.days", m.get("token.expiry.default.days"),
        Math.min(WharfConfig.TokenExpiry.DEFAULT_DAYS, max), 1, 36_500, "days");
    if (dflt > max) {
      throw new IllegalArgumentException("token.expiry.default.days (" + dflt + ") must not exceed"
          + " token.expiry.max.days (" + max + ")");
    }
    return new WharfConfig.TokenExpiry(dflt, max);
  }

  /**
   * An absolute http(s) URL with a host and no query, fragment or credentials; kept without its trailing
   * slash so that paths can be appended. A path is kept: a proxy may serve Wharf under a prefix.
   */
  static String publicUrl(String value) {
    if (value == null) {
      return null;
    }
    String v = value.trim();
    try {
      URI uri = new URI(v);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && uri.getRawQuery() == null
          && uri.getRawFragment() == null && uri.getRawUserInfo() == null) {
        return v.replaceAll("/+$", "");
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new IllegalArgumentException("public.url must be an absolute http or https URL such as"
        + " https://conda.example.com, without query or credentials, got '" + value + "'");
  }

  private static List<String> list(String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    return java.util.Arrays.stream(value.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
  }

  private static HttpLimits httpLimits(Map<String, String> m) {
    String minRate = m.getOrDefault("http.min.request.rate",
        String.valueOf(HttpLimits.DEFAULT_MIN_REQUEST_BYTES_PER_SECOND));
    return new HttpLimits(
        (int) parseBounded("http.threads", m.get("http.threads"), HttpLimits.DEFAULT_THREADS, 16, 10_000, "a number"),
        parseBounded("http.idle.timeout.ms", m.get("http.idle.timeout.ms"), HttpLimits.DEFAULT_IDLE_TIMEOUT_MILLIS,
            1_000, 3_600_000, "milliseconds"),
        parseRate("http.min.request.rate", minRate));
  }

  /** Bytes per second with an optional K/M suffix, or 0 for none. */
  private static long parseRate(String key, String value) {
    if (value.trim().equals("0")) {
      return 0;
    }
    try {
      return parseSize(key, value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + " must be bytes per second such as 4K, or 0 for no minimum, got '"
          + value + "'");
    }
  }

  private static long parseBounded(String key, String value, long fallback, long min, long max, String unit) {
    if (value == null) {
      return fallback;
    }
    try {
      long n = Long.parseLong(value.trim());
      if (n < min || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be " + unit + " between " + min + " and " + max + ", got '"
          + value + "'");
    }
  }

  private static Map<String, String> readFile(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read configuration file " + file + ": " + e.getMessage());
    }
    Map<String, String> m = new HashMap<>();
    p.forEach((k, v) -> m.put(k.toString().trim(), v.toString().trim()));
    return m;
  }

  private static int parseInt(String key, String value) {
    try {
      int port = Integer.parseInt(value.trim());
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a port number (0-65535), got '" + value + "'");
    }
  }

  private static long parseMillis(String key, String value) {
    try {
      long ms = Long.parseLong(value.trim());
      if (ms < 10 || ms > 3_600_000) {
        throw new NumberFormatException();
      }
      return ms;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be milliseconds between 10 and 3600000, got '" + value + "'");
    }
  }

  /** Accepts plain bytes or a K/M/G suffix (powers of 1024). */
  static long parseSize(String key, String value) {
    String v = value.trim().toUpperCase(Locale.ROOT);
    long factor = 1;
    if (v.endsWith("K") || v.endsWith("M") || v.endsWith("G")) {
      factor = switch (v.charAt(v.length() - 1)) {
        case 'K' -> 1024L;
        case 'M' -> 1024L * 1024;
        default -> 1024L * 1024 * 1024;
      };
      v = v.substring(0, v.length() - 1);
    }
    try {
      long n = Long.parseLong(v);
      if (n <= 0) {
        throw new NumberFormatException();
      }
      return Math.multiplyExact(n, factor);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(key + " must be a positive size such as 500M or 2G, got '" + value + "'");
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
