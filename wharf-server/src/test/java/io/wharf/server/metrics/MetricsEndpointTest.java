package io.wharf.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /metrics}: Prometheus text after real traffic, for the scraper with the token and nobody else. */
class MetricsEndpointTest {
  /** Metric names in PromQL: Wharf's own and the JVM's, as the registry exports them. */
  private static final Pattern METRIC_NAME = Pattern.compile("\\b((?:wharf|jvm|process|system)_[a-z0-9_]+)\\b");
  static final String SCRAPE_TOKEN = "scrape-token-0123456789abcdef";
  private static final String ZLIB = "zlib-1.2.11-h7b6447c_3.conda";

  @TempDir static Path data;
  @TempDir static Path work;
  static TestServer server;
  static String scrape;

  @BeforeAll
  static void trafficThenScrape() throws Exception {
    server = TestServer.start(data, Map.of("metrics.token", SCRAPE_TOKEN));
    assertThat(server.createChannel("secret-channel-name", "private").statusCode()).isEqualTo(201);
    assertThat(server.upload("secret-channel-name", Fixtures.realPackage(ZLIB)).statusCode()).isEqualTo(201);
    Path notAPackage = Files.writeString(work.resolve("junk-1.0-0.conda"), "not a zip");
    assertThat(server.upload("secret-channel-name", notAPackage).statusCode()).isEqualTo(400);
    assertThat(server.get("/t/" + TestServer.ADMIN_TOKEN + "/conda/secret-channel-name/linux-64/" + ZLIB)
        .statusCode()).isEqualTo(200);
    assertThat(server.get("/no/such/page").statusCode()).isEqualTo(404);
    HttpResponse<byte[]> res = server.send(server.request("/metrics")
        .header("Authorization", "Bearer " + SCRAPE_TOKEN).GET());
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
    scrape = new String(res.body());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void requestsAreCountedByRouteTemplateAndStatus() {
    assertThat(scrape).contains("wharf_http_requests_seconds_count{method=\"PUT\","
        + "route=\"/api/channels/{channel}/files/{filename}\",status=\"201\"} 1");
    assertThat(scrape).contains("wharf_http_requests_seconds_count{method=\"GET\","
        + "route=\"/t/{token}/conda/<path>\",status=\"200\"} 1");
    assertThat(scrape).contains("wharf_http_requests_seconds_count{method=\"GET\",route=\"unmatched\","
        + "status=\"404\"} 1");
    assertThat(scrape).contains("wharf_http_requests_seconds_bucket{method=\"PUT\","
        + "route=\"/api/channels/{channel}/files/{filename}\",status=\"201\",le=\"+Inf\"} 1");
  }

  @Test
  void noTokenChannelNameOrRawPathBecomesALabel() {
    assertThat(scrape).doesNotContain(TestServer.ADMIN_TOKEN).doesNotContain("secret-channel-name")
        .doesNotContain("/no/such/page").doesNotContain(ZLIB);
  }

  @Test
  void uploadsAreCountedStoredAndRefusedByReason() throws Exception {
    long size = Files.size(Fixtures.realPackage(ZLIB));
    assertThat(scrape).contains("wharf_uploads_stored_total 1.0");
    assertThat(scrape).contains("wharf_uploads_bytes_total " + (double) size);
    assertThat(scrape).containsPattern("wharf_uploads_refused_total\\{reason=\"[a-z_]+\"} 1.0");
    assertThat(scrape).contains("wharf_http_sent_bytes_total{route=\"/t/{token}/conda/<path>\"} "
        + (double) size);
  }

  @Test
  void publicationDatabasePoolAndJvmAreThere() {
    assertThat(scrape).containsPattern("wharf_publication_seconds_count [1-9]");
    assertThat(scrape).contains("wharf_publication_queue ");
    assertThat(scrape).contains("wharf_search_index_queue 0.0");
    assertThat(scrape).contains("wharf_search_index_failed_total 0.0");
    assertThat(scrape).contains("wharf_db_pool_connections{state=\"active\"}");
    assertThat(scrape).contains("wharf_db_pool_max ");
    assertThat(scrape).contains("jvm_memory_used_bytes{");
  }

  @Test
  void everyMetricTheGrafanaDashboardUsesIsInARealScrape() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(
        Fixtures.root().getParent().resolve("docs/grafana-dashboard.json").toFile());
    List<String> queries = new ArrayList<>();
    dashboard.findValues("expr").forEach(e -> queries.add(e.asText()));
    dashboard.findValues("definition").forEach(e -> queries.add(e.asText()));
    assertThat(queries).hasSizeGreaterThan(10);
    Set<String> names = new TreeSet<>();
    for (String q : queries) {
      Matcher m = METRIC_NAME.matcher(q);
      while (m.find()) {
        names.add(m.group(1));
      }
    }
    assertThat(names).contains("wharf_http_requests_seconds_bucket", "wharf_uploads_refused_total",
        "wharf_publication_seconds_bucket");
    for (String name : names) {
      assertThat(Pattern.compile("^" + Pattern.quote(name) + "[{ ]", Pattern.MULTILINE).matcher(scrape).find())
          .as("the dashboard's %s is in a scrape", name).isTrue();
    }
  }

  @Test
  void withoutTheTokenTheScrapeIsRefusedWithTheJsonError() {
    HttpResponse<byte[]> none = server.get("/metrics");
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(TestServer.json(none).path("error").asText()).isEqualTo("unauthorized");
    HttpResponse<byte[]> wrong = server.send(server.request("/metrics")
        .header("Authorization", "Bearer not-the-scrape-token-at-all").GET());
    assertThat(wrong.statusCode()).isEqualTo(403);
    JsonNode body = TestServer.json(wrong);
    assertThat(body.path("error").asText()).isEqualTo("forbidden");
    assertThat(body.has("message")).isTrue();
    HttpResponse<byte[]> userToken = server.send(server.admin("/metrics").GET());
    assertThat(userToken.statusCode()).as("an administrator's token is not the scrape token").isEqualTo(403);
  }

  @Test
  void withNothingConfiguredNobodyMayScrape(@TempDir Path other) {
    try (TestServer plain = TestServer.start(other)) {
      HttpResponse<byte[]> res = plain.send(plain.request("/metrics")
          .header("Authorization", "Bearer " + SCRAPE_TOKEN).GET());
      assertThat(res.statusCode()).isEqualTo(403);
      assertThat(TestServer.json(res).path("error").asText()).isEqualTo("metrics_disabled");
    }
  }

  @Test
  void aConfiguredNetworkMayScrapeWithoutAToken(@TempDir Path other) {
    try (TestServer open = TestServer.start(other, Map.of("metrics.allow", "127.0.0.0/8"))) {
      assertThat(open.get("/health/ready").statusCode()).isEqualTo(200);
      HttpResponse<byte[]> res = open.send(open.request("/metrics").GET());
      assertThat(res.statusCode()).isEqualTo(200);
      assertThat(new String(res.body())).contains("# TYPE wharf_http_requests_seconds histogram")
          .contains("route=\"/health/ready\",status=\"200\"");
    }
    try (TestServer elsewhere = TestServer.start(other, Map.of("metrics.allow", "10.0.0.0/8"))) {
      assertThat(elsewhere.send(elsewhere.request("/metrics").GET()).statusCode()).isEqualTo(403);
    }
  }
}
