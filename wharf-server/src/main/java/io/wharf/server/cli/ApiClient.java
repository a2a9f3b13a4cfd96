package io.wharf.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/** A small HTTP client for the REST API; failures become {@link CliException} with the server's message. */
final class ApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();

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

  JsonNode post(String path, Object body) {
    try {
      return json(send(request(path).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))));
    } catch (IOException e) {
      throw new CliException("cannot encode request: " + e.getMessage());
    }
  }

  void delete(String path) {
    send(request(path).DELETE());
  }

  JsonNode putFile(String path, Path file) {
    try {
      // With Expect: 100-continue a refused upload (no permission, already there, too large) is
      // answered before the file is sent.
      return json(send(request(path).header("Content-Type", "application/octet-stream").expectContinue(true)
          .PUT(HttpRequest.BodyPublishers.ofFile(file))));
    } catch (java.io.FileNotFoundException e) {
      throw new CliException("cannot read " + file + ": no such file");
    }
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
        throw new CliException(errorMessage(res.statusCode(), String.join("\n", lines.limit(1_000).toList())));
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
    HttpRequest.Builder b;
    try {
      b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(30));
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
      throw new CliException(errorMessage(res.statusCode(), res.body()));
    }
    return res;
  }

  private HttpResponse<InputStream> sendStream(HttpRequest.Builder b) {
    HttpResponse<InputStream> res = exchange(b, HttpResponse.BodyHandlers.ofInputStream());
    if (res.statusCode() >= 400) {
      try (InputStream in = res.body()) {
        throw new CliException(errorMessage(res.statusCode(),
            new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new CliException("HTTP " + res.statusCode());
      }
    }
    return res;
  }

  private <T> HttpResponse<T> exchange(HttpRequest.Builder b, HttpResponse.BodyHandler<T> handler) {
    try {
      return http.send(b.build(), handler);
    } catch (ConnectException e) {
      throw new CliException("cannot reach Wharf at " + base + " (is it running? set --url or WHARF_URL)");
    } catch (IOException e) {
      throw new CliException("request to " + base + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
  }

  private static String errorMessage(int status, String body) {
    try {
      JsonNode n = JSON.readTree(body);
      if (n != null && n.hasNonNull("message")) {
        return n.get("message").asText() + " (HTTP " + status + ")";
      }
    } catch (IOException ignored) {
      // not our JSON error body; fall through to the status line
    }
    return "HTTP " + status;
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
