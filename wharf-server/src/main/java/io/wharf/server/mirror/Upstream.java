package io.wharf.server.mirror;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStream;
import io.wharf.server.error.WharfException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP to one upstream channel: its repodata (zstd-compressed when offered, conditional on the last
 * validators; the patched or the unpatched document, as the mirror says), its channeldata.json, and package
 * files checked against their records. Every failure is a {@link WharfException}: 502
 * {@code upstream_unreachable}, {@code upstream_status}, {@code upstream_mismatch},
 * {@code upstream_no_unpatched}; 504 {@code upstream_timeout}.
 */
final class Upstream {
  /** Floats keep their exact text (a record is copied, not rewritten). */
  static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private final HttpClient http;
  private final String channelUrl;
  private final UpstreamCredentials credentials;
  private final Duration timeout;
  private final MirrorRecords records;

  Upstream(HttpClient http, String channelUrl, UpstreamCredentials credentials, Duration timeout) {
    this(http, channelUrl, credentials, timeout, MirrorRecords.PATCHED);
  }

  /** {@code records}: which repodata document of each subdir is read ({@link MirrorRecords#document}). */
  Upstream(HttpClient http, String channelUrl, UpstreamCredentials credentials, Duration timeout,
      MirrorRecords records) {
    this.records = records;
    this.http = http;
    this.channelUrl = channelUrl.endsWith("/") ? channelUrl.substring(0, channelUrl.length() - 1) : channelUrl;
    this.credentials = credentials;
    this.timeout = timeout;
  }

  /** A subdir's repodata: absent upstream, unchanged since the validators, or read with new validators. */
  record Repodata(boolean absent, boolean notModified, JsonNode body, JdbcMirrors.Validators validators,
      String url) {}

  Repodata repodata(String subdir, JdbcMirrors.Validators last) {
    Fetched<JsonNode> f = fetch(subdir, last, (in, url) -> {
      JsonNode doc = JSON.readTree(in);
      if (doc == null || !doc.isObject()) {
        throw badGateway("upstream_invalid", url + " is not a JSON object", url);
      }
      return doc;
    });
    return new Repodata(f.absent(), f.notModified(), f.body(), f.validators(), f.url());
  }

  /** A subdir's repodata copied to a file, uncompressed, to be read as a stream ({@link RepodataStream}). */
  record Spooled(boolean absent, boolean notModified, Path file, JdbcMirrors.Validators validators, String url) {}

  /**
   * As {@link #repodata}, but the document goes to {@code file} instead of into memory: a large subdir's
   * repodata.json (hundreds of MB) is never held whole.
   */
  Spooled spool(String subdir, JdbcMirrors.Validators last, Path file) {
    Fetched<Path> f = fetch(subdir, last, (in, url) -> {
      Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      return file;
    });
    return new Spooled(f.absent(), f.notModified(), f.body(), f.validators(), f.url());
  }

  private interface BodyReader<T> {
    T read(InputStream in, String url) throws IOException;
  }

  private record Fetched<T>(boolean absent, boolean notModified, T body, JdbcMirrors.Validators validators,
      String url) {}

  private <T> Fetched<T> fetch(String subdir, JdbcMirrors.Validators last, BodyReader<T> reader) {
    String base = channelUrl + "/" + subdir + "/";
    String document = records.document();
    // CEP 16/CONDA.md: a server that has repodata.json.zst serves the same document compressed.
    for (String name : new String[] {document + ".zst", document}) {
      HttpRequest.Builder req = request(base + name);
      if (last.etag() != null) {
        req.header("If-None-Match", last.etag());
      }
      if (last.lastModified() != null) {
        req.header("If-Modified-Since", last.lastModified());
      }
      HttpResponse<InputStream> res = send(req, base + name);
      try (InputStream body = res.body()) {
        if (res.statusCode() == 404) {
          continue;
        }
        if (res.statusCode() == 304) {
          return new Fetched<>(false, true, null, last, base + name);
        }
        requireOk(res, base + name);
        InputStream in = name.endsWith(".zst") ? new ZstdInputStream(body) : body;
        T doc = reader.read(in, base + name);
        return new Fetched<>(false, false, doc, new JdbcMirrors.Validators(
            res.headers().firstValue("ETag").orElse(null), res.headers().firstValue("Last-Modified").orElse(null)),
            base + name);
      } catch (IOException e) {
        throw badGateway("upstream_invalid", "reading " + base + name + " failed: " + e.getMessage(), base + name);
      }
    }
    if (records == MirrorRecords.UNPATCHED && served(base + "repodata.json")) {
      // The subdir is there but not its unpatched records: taking the patched ones instead would apply
      // upstream's patches the mirror was set to leave out.
      throw badGateway("upstream_no_unpatched", "upstream does not serve " + base + document + " (nor "
          + document + ".zst), only " + base + "repodata.json; this mirror takes unpatched records: set it to"
          + " records=patched to take upstream's patched repodata.json", base + document);
    }
    return new Fetched<>(true, false, null, JdbcMirrors.Validators.NONE, base + document);
  }

  /** Whether upstream answers {@code url} at all (anything but 404); the body is not read. */
  private boolean served(String url) {
    HttpResponse<InputStream> res = send(request(url).method("HEAD", HttpRequest.BodyPublishers.noBody()), url);
    try (InputStream body = res.body()) {
      return res.statusCode() != 404;
    } catch (IOException e) {
      return true;
    }
  }

  /** channeldata.json at the channel root, when upstream has one. */
  Optional<JsonNode> channeldata() {
    String url = channelUrl + "/channeldata.json";
    HttpResponse<InputStream> res = send(request(url), url);
    try (InputStream body = res.body()) {
      if (res.statusCode() != 200) {
        return Optional.empty();
      }
      return Optional.ofNullable(JSON.readTree(body));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The digests and size of a downloaded file. */
  record Downloaded(String md5, String sha256, long size) {}

  /**
   * Downloads {@code url} to {@code target}, then checks it against the record: a file of another size or
   * SHA-256 is deleted and refused ({@code upstream_mismatch}), so no unchecked byte is ever kept.
   */
  Downloaded download(String url, String sha256, long size, Path target) {
    HttpResponse<InputStream> res = send(request(url), url);
    MessageDigest md5;
    MessageDigest sha;
    try {
      md5 = MessageDigest.getInstance("MD5");
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    long n;
    try (InputStream body = res.body()) {
      requireOk(res, url);
      try (InputStream in = new DigestInputStream(new DigestInputStream(body, md5), sha);
          OutputStream out = Files.newOutputStream(target)) {
        n = in.transferTo(out);
      }
    } catch (IOException e) {
      delete(target);
      if (e instanceof HttpTimeoutException) {
        throw timeout(url);
      }
      throw badGateway("upstream_unreachable", "downloading " + url + " broke off: " + e.getMessage(), url);
    }
    String got = HexFormat.of().formatHex(sha.digest());
    if (n != size || (sha256 != null && !got.equalsIgnoreCase(sha256))) {
      delete(target);
      throw new WharfException(WharfException.Kind.BAD_GATEWAY, "upstream_mismatch",
          "the upstream file does not match its record (size " + n + ", sha256 " + got + "; the record says size "
              + size + ", sha256 " + sha256 + "); it was refused",
          Map.of("url", safe(url), "expected_sha256", String.valueOf(sha256), "actual_sha256", got,
              "expected_size", size, "actual_size", n));
    }
    return new Downloaded(HexFormat.of().formatHex(md5.digest()), got, n);
  }

  private HttpRequest.Builder request(String url) {
    URI target = URI.create(credentials.resolve(url));
    HttpRequest.Builder b = HttpRequest.newBuilder(target).timeout(timeout).GET()
        .header("User-Agent", "wharf-mirror");
    credentials.authorize(b, target, URI.create(credentials.resolve(channelUrl + "/")));
    return b;
  }

  private HttpResponse<InputStream> send(HttpRequest.Builder req, String url) {
    try {
      return http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpConnectTimeoutException e) {
      // Java's client retries a refused connection until the connect timeout: nobody listens there
      throw badGateway("upstream_unreachable", "cannot connect to " + origin(url) + " within "
          + timeout.toSeconds() + " s", url);
    } catch (HttpTimeoutException e) {
      throw timeout(url);
    } catch (ConnectException e) {
      throw badGateway("upstream_unreachable", "cannot connect to " + origin(url) + ": "
          + (e.getMessage() == null ? "connection refused" : e.getMessage()), url);
    } catch (IOException e) {
      throw badGateway("upstream_unreachable", "request to " + safe(url) + " failed: " + e, url);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WharfException(WharfException.Kind.UNAVAILABLE, "interrupted", "the server is stopping", null);
    }
  }

  private static void requireOk(HttpResponse<?> res, String url) {
    if (res.statusCode() != 200) {
      throw new WharfException(WharfException.Kind.BAD_GATEWAY, "upstream_status",
          "upstream answered " + res.statusCode() + " for " + safe(url),
          Map.of("url", safe(url), "upstream_status", res.statusCode()));
    }
  }

  private WharfException timeout(String url) {
    return new WharfException(WharfException.Kind.GATEWAY_TIMEOUT, "upstream_timeout",
        "upstream " + origin(url) + " did not answer within " + timeout.toSeconds() + " s",
        Map.of("url", safe(url)));
  }

  static WharfException badGateway(String code, String message, String url) {
    return new WharfException(WharfException.Kind.BAD_GATEWAY, code, message, Map.of("url", safe(url)));
  }

  /** URLs in messages keep the token placeholder, never a token. */
  private static String safe(String url) {
    return url;
  }

  private static String origin(String url) {
    URI u = URI.create(url.replace(UpstreamCredentials.TOKEN_PLACEHOLDER, "token"));
    return u.getScheme() + "://" + u.getAuthority();
  }

  private static void delete(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // the spool directory is emptied at start
    }
  }
}
