package io.wharf.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One line per request, Combined Log Format or JSON, with no token in any of them. */
class AccessLogTest {
  private static final String ZLIB = "zlib-1.2.11-h7b6447c_3.conda";
  private static final String QUERY_SECRET = "query-secret-0123456789";
  /** A quoted field: no raw quote inside, only escaped ones. */
  private static final String QUOTED = "\"((?:[^\"\\\\]|\\\\.)*)\"";
  /** host ident user [time] "request" status bytes "referer" "agent" (Apache's combined format). */
  private static final Pattern COMBINED = Pattern.compile(
      "^(\\S+) - - \\[(\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4})] " + QUOTED
          + " (\\d{3}) (\\d+|-) " + QUOTED + " " + QUOTED + "$");

  @TempDir Path data;
  @TempDir Path logs;

  @Test
  void eachRequestIsOneCombinedLineWithoutTokens() throws Exception {
    Path log = logs.resolve("access.log");
    try (TestServer server = TestServer.start(data, Map.of("access.log", log.toString()))) {
      traffic(server);
    }
    List<String> lines = Files.readAllLines(log);
    assertThat(lines).hasSizeGreaterThanOrEqualTo(4);
    for (String line : lines) {
      assertThat(line).matches(COMBINED);
    }
    String download = lines.stream().filter(l -> l.contains(ZLIB) && l.contains("\"GET ")).findFirst().orElseThrow();
    Matcher m = COMBINED.matcher(download);
    assertThat(m.matches()).isTrue();
    assertThat(m.group(1)).isEqualTo("127.0.0.1");
    assertThat(m.group(3)).isEqualTo("GET /t/<token>/conda/c/linux-64/" + ZLIB + " HTTP/1.1");
    assertThat(m.group(4)).isEqualTo("200");
    assertThat(Long.parseLong(m.group(5))).isEqualTo(Files.size(Fixtures.realPackage(ZLIB)));
    assertThat(m.group(6)).isEqualTo("https://example.com/t/<token>/x");
    assertThat(m.group(7)).isEqualTo("test-agent/1.0");
    assertThat(lines).anyMatch(l -> l.contains("\"GET /api/channels?token=<redacted>&limit=5 HTTP/1.1\" 200 "));
    assertThat(String.join("\n", lines)).doesNotContain(TestServer.ADMIN_TOKEN).doesNotContain(QUERY_SECRET)
        .doesNotContain("Bearer");
  }

  @Test
  void theJsonFormatIsOneObjectPerLineWithoutTokens() throws Exception {
    Path log = logs.resolve("access.json");
    try (TestServer server = TestServer.start(data,
        Map.of("access.log", log.toString(), "access.log.format", "json"))) {
      traffic(server);
    }
    List<String> lines = Files.readAllLines(log);
    ObjectMapper json = new ObjectMapper();
    JsonNode download = null;
    for (String line : lines) {
      JsonNode n = json.readTree(line);
      assertThat(n.path("status").asInt()).isBetween(100, 599);
      if (n.path("path").asText().endsWith(ZLIB) && n.path("method").asText().equals("GET")) {
        download = n;
      }
    }
    assertThat(download).isNotNull();
    assertThat(download.path("path").asText()).isEqualTo("/t/<token>/conda/c/linux-64/" + ZLIB);
    assertThat(download.path("route").asText()).isEqualTo("/t/{token}/conda/<path>");
    assertThat(download.path("bytes_sent").asLong()).isEqualTo(Files.size(Fixtures.realPackage(ZLIB)));
    assertThat(download.path("remote_addr").asText()).isEqualTo("127.0.0.1");
    assertThat(String.join("\n", lines)).doesNotContain(TestServer.ADMIN_TOKEN).doesNotContain(QUERY_SECRET);
  }

  @Test
  void withoutTheSettingNothingIsWritten() {
    try (TestServer server = TestServer.start(data)) {
      assertThat(server.get("/health/ready").statusCode()).isEqualTo(200);
    }
    assertThat(logs).isEmptyDirectory();
  }

  @Test
  void redactionCoversPathTokensAndTokenQueryValues() {
    assertThat(LogRedaction.text("/t/abc/conda/x?token=s3cret&x=1&access_token=t&password=p#f"))
        .isEqualTo("/t/<token>/conda/x?token=<redacted>&x=1&access_token=<redacted>&password=<redacted>#f");
    assertThat(LogRedaction.text("/api/channels?limit=5")).isEqualTo("/api/channels?limit=5");
  }

  @Test
  void aForgedQuoteCannotStartAFieldOfItsOwn() {
    String line = AccessLog.combined(new AccessLog.Entry("10.0.0.1", java.time.Instant.EPOCH, "GET", "/x",
        "HTTP/1.1", 200, 0, null, "evil\" 200 \"\nnext", "/x", 1));
    assertThat(line).doesNotContain("\n").matches(COMBINED);
    Matcher m = COMBINED.matcher(line);
    assertThat(m.matches()).isTrue();
    assertThat(m.group(4)).as("the status stays the real one").isEqualTo("200");
    assertThat(line).endsWith("\"evil\\\" 200 \\\"\\x0anext\"");
  }

  private static void traffic(TestServer server) {
    assertThat(server.createChannel("c", "private").statusCode()).isEqualTo(201);
    assertThat(server.upload("c", Fixtures.realPackage(ZLIB)).statusCode()).isEqualTo(201);
    assertThat(server.send(server.request("/t/" + TestServer.ADMIN_TOKEN + "/conda/c/linux-64/" + ZLIB)
        .header("Referer", "https://example.com/t/" + TestServer.ADMIN_TOKEN + "/x")
        .header("User-Agent", "test-agent/1.0").GET()).statusCode()).isEqualTo(200);
    assertThat(server.send(server.admin("/api/channels?token=" + QUERY_SECRET + "&limit=5").GET()).statusCode())
        .isEqualTo(200);
  }
}
