package io.wharf.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.server.WharfApp;
import io.wharf.server.config.ConfigLoader;
import io.wharf.server.config.WharfConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** A whole Wharf on a free loopback port with its own data directory, plus a small HTTP client for tests. */
public final class TestServer implements AutoCloseable {
  public static final String ADMIN_TOKEN = "test-admin-token-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final WharfApp app;
  private final Path dataDir;
  private final HttpClient http = HttpClient.newHttpClient();

  private TestServer(WharfApp app, Path dataDir) {
    this.app = app;
    this.dataDir = dataDir;
  }

  public static TestServer start(Path dataDir) {
    return start(dataDir, Map.of());
  }

  /** Extra settings use the configuration keys (e.g. {@code db.url}, {@code storage}, {@code max.upload}). */
  public static TestServer start(Path dataDir, Map<String, String> settings) {
    Map<String, String> flags = new HashMap<>(settings);
    flags.put("host", "127.0.0.1");
    flags.put("port", "0");
    flags.put("data", dataDir.toString());
    flags.putIfAbsent("admin.token", ADMIN_TOKEN);
    WharfConfig config = ConfigLoader.load(null, Map.of(), flags);
    try {
      return new TestServer(WharfApp.start(config, new PrintStream(new ByteArrayOutputStream())), dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String url() {
    return "http://127.0.0.1:" + app.port();
  }

  public int port() {
    return app.port();
  }

  public Path dataDir() {
    return dataDir;
  }

  public WharfApp app() {
    return app;
  }

  public HttpResponse<byte[]> send(HttpRequest.Builder request) {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(url() + path));
  }

  public HttpRequest.Builder admin(String path) {
    return request(path).header("Authorization", "Bearer " + ADMIN_TOKEN);
  }

  public HttpResponse<byte[]> get(String path) {
    return send(request(path).GET());
  }

  public JsonNode getJson(String path) {
    return json(get(path));
  }

  public HttpResponse<byte[]> createChannel(String name, String privacy) {
    String body = "{\"name\":\"" + name + "\",\"privacy\":\"" + privacy + "\"}";
    return send(admin("/api/channels").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** {@code POST /api/channels/{channel}/import/directory} as the admin, with this JSON body. */
  public HttpResponse<byte[]> importDirectory(String channel, String jsonBody) {
    return send(admin("/api/channels/" + channel + "/import/directory").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(jsonBody)));
  }

  public HttpResponse<byte[]> upload(String channel, Path file) {
    return upload(channel, file.getFileName().toString(), file, "");
  }

  public HttpResponse<byte[]> upload(String channel, String filename, Path file, String query) {
    try {
      return send(admin("/api/channels/" + channel + "/files/" + filename + (query.isEmpty() ? "" : "?" + query))
          .PUT(HttpRequest.BodyPublishers.ofFile(file)));
    } catch (java.io.FileNotFoundException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode json(HttpResponse<byte[]> res) {
    try {
      return JSON.readTree(res.body());
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + new String(res.body()), e);
    }
  }

  /** Every file below the blob directory (the default local store), for "left no trace" checks. */
  public long blobCount() {
    Path blobs = dataDir.resolve("blobs");
    if (!Files.exists(blobs)) {
      return 0;
    }
    try (var s = Files.walk(blobs)) {
      // package blobs only: the store also keeps its database identity
      return s.filter(Files::isRegularFile).filter(p -> !p.toString().contains("/.tmp"))
          .filter(p -> !p.getFileName().toString().equals("wharf-store-identity")).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    app.close();
  }
}
