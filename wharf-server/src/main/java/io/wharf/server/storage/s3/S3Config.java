package io.wharf.server.storage.s3;

import io.wharf.server.storage.BlobKeys;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where an {@link S3BlobStore} keeps its objects.
 *
 * @param endpoint  base URL of the S3 API, e.g. {@code http://127.0.0.1:9000}; null means AWS's own endpoint for the region
 * @param accessKey null together with secretKey to use the SDK's default credential chain (environment, profile, instance role)
 * @param prefix    key prefix inside the bucket without leading or trailing slash, "" for the bucket root
 */
public record S3Config(
    URI endpoint, String region, String bucket, String accessKey, String secretKey, String prefix, boolean pathStyle) {

  public static final String DEFAULT_REGION = "us-east-1";

  // S3 bucket naming rules, lowercase only (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html)
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  public S3Config {
    if (region == null || region.isBlank()) {
      throw new IllegalArgumentException("S3 region is required");
    }
    if (bucket == null || !BUCKET.matcher(bucket).matches()) {
      throw new IllegalArgumentException("invalid S3 bucket name: " + bucket);
    }
    if ((accessKey == null) != (secretKey == null)) {
      throw new IllegalArgumentException("S3 access key and secret key must be given together");
    }
    prefix = prefix == null ? "" : prefix;
    if (!prefix.isEmpty() && !BlobKeys.isValid(prefix)) {
      throw new IllegalArgumentException("invalid S3 key prefix: " + prefix);
    }
    if (endpoint != null && (endpoint.getHost() == null
        || !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme())))) {
      throw new IllegalArgumentException("S3 endpoint must be an http or https URL: " + endpoint);
    }
  }

  /**
   * Reads a storage spec of the form
   * <pre>s3://ACCESS:SECRET@host[:port]/bucket[/prefix/...][?region=us-east-1&amp;scheme=http&amp;pathStyle=true]</pre>
   * <ul>
   *   <li>ACCESS and SECRET are percent-encoded (a secret's {@code /} becomes {@code %2F}, {@code +} becomes
   *       {@code %2B}); leave out {@code ACCESS:SECRET@} to use the SDK's default credential chain.</li>
   *   <li>host[:port] is the S3 endpoint; {@code scheme} (default https) says how to talk to it.</li>
   *   <li>everything after the bucket is the key prefix; several Wharf instances can share one bucket this way.</li>
   *   <li>{@code region} defaults to us-east-1, {@code pathStyle} to true (MinIO, Ceph, s3proxy need it).</li>
   * </ul>
   */
  public static S3Config parse(String spec) {
    URI uri;
    try {
      uri = new URI(spec);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("invalid S3 storage spec (percent-encode the credentials): " + e.getMessage());
    }
    if (!"s3".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("S3 storage spec must look like s3://ACCESS:SECRET@host:port/bucket/prefix");
    }
    String region = DEFAULT_REGION;
    String scheme = "https";
    boolean pathStyle = true;
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        switch (name) {
          case "region" -> region = value;
          case "scheme" -> scheme = value.toLowerCase(Locale.ROOT);
          case "pathStyle" -> pathStyle = parseBoolean(value);
          default -> throw new IllegalArgumentException("unknown S3 storage option: " + name);
        }
      }
    }
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("S3 scheme must be http or https, not " + scheme);
    }
    String accessKey = null;
    String secretKey = null;
    if (uri.getRawUserInfo() != null) {
      String raw = uri.getRawUserInfo();
      int colon = raw.indexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException("S3 credentials must be ACCESS:SECRET");
      }
      accessKey = decode(raw.substring(0, colon));
      secretKey = decode(raw.substring(colon + 1));
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    path = trimSlashes(path);
    int slash = path.indexOf('/');
    String bucket = slash < 0 ? path : path.substring(0, slash);
    String prefix = slash < 0 ? "" : trimSlashes(path.substring(slash + 1));
    if (bucket.isEmpty()) {
      throw new IllegalArgumentException("S3 storage spec names no bucket");
    }
    URI endpoint = URI.create(scheme + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()));
    return new S3Config(endpoint, region, bucket, accessKey, secretKey, prefix, pathStyle);
  }

  /** Object name in the bucket for a blob key. */
  String objectName(String key) {
    return prefix.isEmpty() ? key : prefix + "/" + key;
  }

  /** What list() asks S3 for; the store strips it again from the answers. */
  String objectPrefix() {
    return prefix.isEmpty() ? "" : prefix + "/";
  }

  @Override
  public String toString() {
    // never let the secret reach a log line or an error page
    return "S3Config[endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket
        + ", accessKey=" + accessKey + ", secretKey=" + (secretKey == null ? null : "***")
        + ", prefix=" + prefix + ", pathStyle=" + pathStyle + "]";
  }

  private static String decode(String raw) {
    // URLDecoder would turn '+' into a space, which corrupts AWS secret keys
    return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static boolean parseBoolean(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> throw new IllegalArgumentException("pathStyle must be true or false, not " + value);
    };
  }

  private static String trimSlashes(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && s.charAt(start) == '/') {
      start++;
    }
    while (end > start && s.charAt(end - 1) == '/') {
      end--;
    }
    return s.substring(start, end);
  }
}
