package io.wharf.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.ServerProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code log.format=json} on a real server process: everything it prints on stdout and stderr, from the
 * start banner through a warning, an error with its stack trace and the JSON access log to the stop, is one
 * JSON object per line, and no line holds a token, whether it came in the path, a query or a header.
 */
class JsonLogTest {
  private static final String ADMIN = "json-log-admin-token-0123456789";
  private static final String ZLIB = "zlib-1.2.11-h7b6447c_3.conda";
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path data;
  @TempDir Path logs;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void everyLineTheServerPrintsIsAJsonObjectAndNoneHoldsAToken() throws Exception {
    ServerProcess server = ServerProcess.start(List.of("--data", data.toString()),
        Map.of("WHARF_ADMIN_TOKEN", ADMIN, "WHARF_LOG_FORMAT", "json", "WHARF_ACCESS_LOG", "stdout",
            "WHARF_ACCESS_LOG_FORMAT", "json"),
        logs.resolve("server.log"));
    try {
      assertThat(server.awaitServing(DEADLINE)).as(server.logText()).isTrue();
      assertThat(send(server, "POST", "/api/channels", "{\"name\":\"c\",\"privacy\":\"private\"}").statusCode())
          .isEqualTo(201);
      assertThat(http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/channels/c/files/" + ZLIB))
          .header("Authorization", "Bearer " + ADMIN)
          .PUT(HttpRequest.BodyPublishers.ofFile(Fixtures.realPackage(ZLIB))).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(201);

      // a warning: the blob store is unreadable while readiness is asked
      Path storeTmp = data.resolve("blobs/.tmp");
      deleteTree(storeTmp);
      assertThat(get(server, "/health/ready").statusCode()).isEqualTo(503);
      Files.createDirectories(storeTmp);
      // an error with a stack trace: the file's row is there, its blob is not, and the token is in the path
      deleteTree(data.resolve("blobs/sha256"));
      assertThat(get(server, "/t/" + ADMIN + "/conda/c/linux-64/" + ZLIB).statusCode()).isEqualTo(500);
      assertThat(get(server, "/badges/c/zlib/version.svg?token=" + ADMIN).statusCode()).isLessThan(500);
      server.terminate(DEADLINE); // the stop's own lines are in the output too
    } finally {
      server.close();
    }

    List<JsonNode> lines = new ArrayList<>();
    for (String line : server.logText().split("\n")) {
      assertThat(line).as("no token in any line").doesNotContain(ADMIN);
      if (!line.isBlank()) {
        JsonNode node = parse(line);
        assertThat(node.isObject()).as(line).isTrue();
        lines.add(node);
      }
    }
    List<JsonNode> appLines = lines.stream().filter(n -> n.has("logger")).toList();
    assertThat(appLines).allSatisfy(n -> assertThat(List.of(n.path("timestamp").asText(), n.path("level").asText(),
        n.path("thread").asText(), n.path("message").asText())).doesNotContain(""));
    assertThat(appLines).anySatisfy(n -> assertThat(n.get("message").asText()).startsWith("Wharf is serving on"));
    assertThat(appLines).anySatisfy(n -> {
      assertThat(n.get("level").asText()).isEqualTo("WARN");
      assertThat(n.get("message").asText()).startsWith("readiness: storage is down");
    });
    assertThat(appLines).anySatisfy(n -> {
      assertThat(n.get("level").asText()).isEqualTo("ERROR");
      assertThat(n.get("message").asText()).isEqualTo("unexpected error on GET /t/<token>/conda/c/linux-64/" + ZLIB);
      assertThat(n.get("exception").asText()).contains("\tat io.wharf.");
    });
    assertThat(lines).as("the JSON access log, on the same output").anySatisfy(n -> {
      assertThat(n.path("status").asInt()).isEqualTo(500);
      assertThat(n.path("path").asText()).isEqualTo("/t/<token>/conda/c/linux-64/" + ZLIB);
    });
  }

  private HttpResponse<String> send(ServerProcess server, String method, String path, String body)
      throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(server.url() + path))
        .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(ServerProcess server, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(server.url() + path))
        .header("Authorization", "Bearer " + ADMIN).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new AssertionError("not a JSON line: " + line, e);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
