package io.wharf.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * A small HTTP client for the REST API. A refusal becomes an {@link ApiError} with the server's message,
 * a failure to get an answer a {@link CliException}; every request has a deadline.
 */
final class ApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** How long any request may wait for the server's answer, so that nothing waits forever. */
  static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);
  static final long SLOWEST_UPLOAD_BYTES_PER_SECOND = 64 * 1024;

  private final String base;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
      .followRedirects(HttpClient.Redirect.NORMAL).build();

  ApiClient(String base, String token) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.token = token;
  }

  String base() {
    return base;
  }

  JsonNode get(String path) {
    return json(send(request(path).GET()));
  }

  /** One page of a paged list, and the path of the next page (its Link header), or null on the last. */
  record Page(JsonNode items, String next) {}

  Page getPage(String path) {
    HttpResponse<String> res = send(request(path).GET());
    return new Page(json(res), PagedList.nextLink(res.headers().allValues("Link")));
  }

  JsonNode post(String path, Object body) {
    try {
      return json(send(request(path).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))));
    } catch (IOException e) {
      throw new CliException("cannot encode request: " + e.getMessage());
    }
  }

  JsonNode put(String path, Object body) {
    return withBody("PUT", path, body);
  }

  JsonNode patch(String path, Object body) {
    return withBody("PATCH", path, body);
  }

  private JsonNode withBody(String method, String path, Object body) {
    try {
      return json(send(request(path).header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))));
    } catch (IOException e) {
      throw new CliException("cannot encode request: " + e.getMessage());
    }
  }

  /** PUTs raw JSON bytes (a document the server reads as it is, such as patch instructions). */
  JsonNode putJsonBytes(String path, byte[] body) {
    return json(send(request(path, uploadTimeout(body.length)).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(body))));
  }

  JsonNode deleteJson(String path) {
    return json(send(request(path).DELETE()));
  }

  void delete(String path) {
    send(request(path).DELETE());
  }

  /**
   * Asks whether an upload of this file would be accepted as far as the server can tell without its
   * body (token, channel, label, file name, size), so that a refused file is never sent. This stands in
   * for {@code Expect: 100-continue}, which Java 17's HttpClient cannot use: it waits forever when the
   * server answers with a final status instead of 100 Continue (JDK-8286171).
   */
  void checkUpload(String channel, String label, String filename, long size) {
    send(request("/api/channels/" + enc(channel) + "/upload-check/" + enc(filename) + "?size=" + size
        + (label == null ? "" : "&label=" + enc(label))).GET());
  }

  JsonNode putFile(String path, Path file, long size) {
    try {
      return json(send(request(path, uploadTimeout(size)).header("Content-Type", "application/octet-stream")
          .PUT(HttpRequest.BodyPublishers.ofFile(file))));
    } catch (java.io.FileNotFoundException e) {
      throw new CliException("cannot read " + file + ": no such file");
    }
  }

  /** POSTs a file's bytes as the body; the answer is JSON. */
  JsonNode postFile(String path, Path file) {
    try {
      return json(send(request(path, uploadTimeout(java.nio.file.Files.size(file)))
          .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofFile(file))));
    } catch (IOException e) {
      throw new CliException("cannot read " + file + ": " + e.getMessage());
    }
  }

  /** Long enough for the slowest upload worth waiting for; an upload slower on average is stalled. */
  static Duration uploadTimeout(long size) {
    return REQUEST_TIMEOUT.plusSeconds(size / SLOWEST_UPLOAD_BYTES_PER_SECOND);
  }

  /** Sends {@code body} as JSON and hands each line of a JSON-lines answer to {@code onLine} as it arrives. */
  void postStreaming(String path, Object body, java.util.function.Consumer<JsonNode> onLine) {
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new CliException("cannot encode request: " + e.getMessage());
    }
    postStreaming(path, "application/json", () -> new java.io.ByteArrayInputStream(bytes), onLine);
  }

  /**
   * Sends a streamed body and hands each line of a JSON-lines answer to {@code onLine} as it arrives.
   */
  void postStreaming(String path, String contentType, java.util.function.Supplier<InputStream> body,
      java.util.function.Consumer<JsonNode> onLine) {
    HttpResponse<java.util.stream.Stream<String>> res = exchange(request(path).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofInputStream(body)), HttpResponse.BodyHandlers.ofLines());
    try (java.util.stream.Stream<String> lines = res.body()) {
      if (res.statusCode() >= 400) {
        throw refusal(res.statusCode(), String.join("\n", lines.limit(1_000).toList()));
      }
      lines.filter(l -> !l.isBlank()).forEach(l -> {
        try {
          onLine.accept(JSON.readTree(l));
        } catch (IOException e) {
          throw new CliException("the server answered with a line that is not JSON");
        }
      });
    } catch (java.io.UncheckedIOException e) {
      throw new CliException("request to " + base + " failed: " + e.getCause().getMessage());
    }
  }

  /** The body of a GET as text (documents other than the API's own JSON answers, e.g. an SBOM). */
  String getText(String path) {
    return send(request(path).GET()).body();
  }

  /** Downloads to a temporary file beside the target and moves it into place only when complete. */
  void download(String path, Path target) {
    HttpResponse<InputStream> res = sendStream(request(path).GET());
    try {
      Path dir = target.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".wharf-download-", ".part");
      try (InputStream in = res.body()) {
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new CliException("download failed: " + e.getMessage());
    }
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private HttpRequest.Builder request(String path) {
    return request(path, REQUEST_TIMEOUT);
  }

  private HttpRequest.Builder request(String path, Duration timeout) {
    HttpRequest.Builder b;
    try {
      b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
    } catch (IllegalArgumentException e) {
      throw new CliException("the server URL '" + base + "' is not valid");
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b.header("Accept", "application/json");
  }

  private HttpResponse<String> send(HttpRequest.Builder b) {
    HttpResponse<String> res = exchange(b, HttpResponse.BodyHandlers.ofString());
    if (res.statusCode() >= 400) {
      throw refusal(res.statusCode(), res.body());
    }
    return res;
  }

  private HttpResponse<InputStream> sendStream(HttpRequest.Builder b) {
    HttpResponse<InputStream> res = exchange(b, HttpResponse.BodyHandlers.ofInputStream());
    if (res.statusCode() >= 400) {
      try (InputStream in = res.body()) {
        throw refusal(res.statusCode(), new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new ApiError(res.statusCode(), null, "the request failed");
      }
    }
    return res;
  }

  private <T> HttpResponse<T> exchange(HttpRequest.Builder b, HttpResponse.BodyHandler<T> handler) {
    HttpRequest request = b.build();
    try {
      return http.send(request, handler);
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw new CliException("cannot reach Wharf at " + base + " (is it running? set --url or WHARF_URL)");
    } catch (HttpTimeoutException e) {
      throw new CliException("Wharf at " + base + " did not answer within "
          + request.timeout().orElse(REQUEST_TIMEOUT).toSeconds() + " seconds");
    } catch (IOException e) {
      throw new CliException("request to " + base + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
  }

  /** The server's refusal; a missing token is explained with the CLI's own ways to pass one. */
  private ApiError refusal(int status, String body) {
    String code = null;
    String text = "the request failed";
    JsonNode details = null;
    try {
      JsonNode n = JSON.readTree(body);
      if (n != null && n.hasNonNull("message")) {
        code = n.path("error").asText(null);
        text = n.get("message").asText();
        details = n.get("details");
      }
    } catch (IOException ignored) {
      // not our JSON error body: the status alone says what happened
    }
    if (status == 401 && token == null) {
      // a channel one may not read answers like a missing one (see auth.ChannelAccess)
      text = text.startsWith("no such channel") ? "no such channel, or it needs a token: pass --token or set WHARF_TOKEN"
          : "this action needs a token: pass --token or set WHARF_TOKEN";
    }
    return new ApiError(status, code, text, details);
  }

  private static JsonNode json(HttpResponse<String> res) {
    if (res.body() == null || res.body().isBlank()) {
      return JSON.nullNode();
    }
    try {
      return JSON.readTree(res.body());
    } catch (IOException e) {
      throw new CliException("the server answered with something that is not JSON");
    }
  }
}
