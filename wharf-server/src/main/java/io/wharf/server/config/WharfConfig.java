package io.wharf.server.config;

import java.nio.file.Path;

/**
 * Everything a running Wharf needs to know, resolved once at start-up. Defaults need no file:
 * SQLite and blobs live under {@code dataDir}.
 *
 * @param dbUrl JDBC URL; null means the embedded SQLite file {@code <dataDir>/wharf.db}
 * @param storage blob storage spec ({@code s3://...} or a directory); null means {@code <dataDir>/blobs}
 * @param adminToken the administrator token from the environment, or null to use the stored/generated one
 * @param changeCheckMillis how often this node looks for channel changes made by other nodes
 * @param publicUrl the origin (and optional path prefix) clients reach Wharf at, without a trailing slash;
 *     null means derive it from the listening address (see {@code web.PublicUrls})
 * @param trustedProxies peers whose {@code X-Forwarded-*} headers are believed; none by default
 * @param http worker threads, idle timeout and minimum request data rate of the HTTP server
 * @param tokenExpiry default and longest lifetime of new tokens
 * @param operations metrics access, access log and shutdown bound
 * @param signingKeys the directory of the private signing keys ({@code signing.keys}, default
 *     {@code <dataDir>/signing}); every node needs the same keys
 * @param mirrorSecretKey base64 AES-256 key sealing mirror credentials; null means the key file
 *     {@code <dataDir>/mirror-secret.key}, created on first start (nodes sharing a database need the setting)
 * @param mirrorTimeoutMillis how long a mirror waits for its upstream to connect and to answer a request
 * @param downloadStats whether package downloads are counted, and how often the counts are written
 * @param importDirectories directories of this machine from which an administrator may have the server import
 *     a channel directory itself ({@code import.directories}); none by default, which turns that off
 */
public record WharfConfig(
    String host,
    int port,
    Path dataDir,
    String dbUrl,
    String dbUser,
    String dbPassword,
    String storage,
    long maxUploadBytes,
    String adminToken,
    long changeCheckMillis,
    String publicUrl,
    TrustedProxies trustedProxies,
    HttpLimits http,
    TokenExpiry tokenExpiry,
    Operations operations,
    Path signingKeys,
    String mirrorSecretKey,
    long mirrorTimeoutMillis,
    DownloadStats downloadStats,
    java.util.List<Path> importDirectories) {

  /**
   * Download counting: a crash loses at most the counts of the last {@code flushMillis}.
   */
  public record DownloadStats(boolean enabled, long flushMillis) {
    public static final long DEFAULT_FLUSH_MILLIS = 5_000;
  }

  /** Lifetimes of new tokens, in days. */
  public record TokenExpiry(int defaultDays, int maxDays) {
    public static final int DEFAULT_DAYS = 90;
    public static final int DEFAULT_MAX_DAYS = 365;
  }

  public static final long DEFAULT_MAX_UPLOAD = 2L * 1024 * 1024 * 1024;
  public static final long DEFAULT_CHANGE_CHECK_MILLIS = 250;
  public static final long DEFAULT_MIRROR_TIMEOUT_MILLIS = 30_000;

  public Path sqliteFile() {
    return dataDir.resolve("wharf.db");
  }

  public Path blobDir() {
    return dataDir.resolve("blobs");
  }

  public Path mirrorKeyFile() {
    return dataDir.resolve("mirror-secret.key");
  }

  public Path tmpDir() {
    return dataDir.resolve("tmp");
  }
}
