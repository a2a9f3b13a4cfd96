package io.wharf.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.server.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hand-kept openapi.json must describe exactly the REST routes the server registers. */
class OpenApiDocumentTest {
  private static final Set<String> HTTP_METHODS =
      Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
  // Javalin's "{name}" path parameters are spelled like OpenAPI's; "<name>" (slash-spanning) has no equivalent.
  private static final Pattern PLAIN_PATH = Pattern.compile("(/([A-Za-z0-9._-]+|\\{[A-Za-z_][A-Za-z0-9_]*}))+");

  @TempDir static Path data;
  static TestServer server;
  static JsonNode document;

  @BeforeAll
  static void start() throws IOException {
    server = TestServer.start(data);
    try (InputStream in = OpenApiDocumentTest.class.getResourceAsStream(DocsRoutes.OPENAPI_RESOURCE)) {
      assertThat(in).as("openapi.json on the classpath").isNotNull();
      document = new ObjectMapper().readTree(in);
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static List<RouteTable.Route> registered() {
    return server.app().web().routeTable().routes();
  }

  static Set<String> documented() {
    Set<String> ops = new TreeSet<>();
    document.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(m -> {
      if (HTTP_METHODS.contains(m)) {
        ops.add(m.toUpperCase(Locale.ROOT) + " " + path.getKey());
      }
    }));
    return ops;
  }

  static String key(RouteTable.Route r) {
    return r.method().toUpperCase(Locale.ROOT) + " " + r.path();
  }

  @Test
  void theDocumentIsOpenApi3WithPaths() {
    assertThat(document.path("openapi").asText()).startsWith("3.");
    assertThat(document.path("info").path("title").asText()).isNotBlank();
    assertThat(document.path("paths").isObject()).isTrue();
  }

  @Test
  void everyRegisteredRouteIsDocumented() {
    assertThat(registered()).as("the route table is filled by the API routes").isNotEmpty();
    Set<String> documented = documented();
    List<String> missing = new ArrayList<>();
    for (RouteTable.Route r : registered()) {
      assertThat(r.path()).as("route path usable as an OpenAPI path: " + key(r)).matches(PLAIN_PATH);
      if (!documented.contains(key(r))) {
        missing.add(key(r));
      }
    }
    assertThat(missing).as("registered routes missing from openapi.json").isEmpty();
  }

  @Test
  void everyDocumentedOperationIsARegisteredRoute() {
    Set<String> registered = new HashSet<>();
    registered().forEach(r -> registered.add(key(r)));
    List<String> extra = documented().stream().filter(op -> !registered.contains(op)).toList();
    assertThat(extra).as("operations in openapi.json that the server does not register").isEmpty();
  }

  @Test
  void everyPathParameterIsDeclared() {
    List<String> problems = new ArrayList<>();
    document.get("paths").fields().forEachRemaining(path -> {
      Set<String> inPath = new TreeSet<>();
      Matcher m = Pattern.compile("\\{([^}]+)}").matcher(path.getKey());
      while (m.find()) {
        inPath.add(m.group(1));
      }
      Set<String> declared = new TreeSet<>();
      path.getValue().path("parameters").forEach(p -> {
        if ("path".equals(p.path("in").asText())) {
          declared.add(p.path("name").asText());
        }
      });
      if (!inPath.equals(declared)) {
        problems.add(path.getKey() + " declares " + declared + " but its template has " + inPath);
      }
    });
    assertThat(problems).isEmpty();
  }

  @Test
  void everyOperationHasAUniqueOperationIdAndAResponse() {
    List<String> problems = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    document.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
      if (!HTTP_METHODS.contains(op.getKey())) {
        return;
      }
      String name = op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey();
      String id = op.getValue().path("operationId").asText("");
      if (id.isBlank()) {
        problems.add(name + " has no operationId");
      } else if (!ids.add(id)) {
        problems.add(name + " reuses operationId " + id);
      }
      if (op.getValue().path("responses").size() == 0) {
        problems.add(name + " documents no response");
      }
    }));
    assertThat(problems).isEmpty();
  }

  @Test
  void theDocumentIsServedAtApiOpenapiJson() throws IOException {
    HttpResponse<byte[]> res = server.get("/api/openapi.json");
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("application/json"));
    assertThat(new ObjectMapper().readTree(res.body())).isEqualTo(document);
  }

  @Test
  void swaggerUiLoadsTheDocumentAndItsAssets() {
    HttpResponse<byte[]> page = server.get("/swagger/ui");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("text/html"));
    String html = new String(page.body(), StandardCharsets.UTF_8);

    Matcher refs = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(html);
    List<String> assets = new ArrayList<>();
    while (refs.find()) {
      assets.add(refs.group(1));
    }
    assertThat(assets).as("the page loads the Swagger UI script and stylesheet")
        .anyMatch(a -> a.endsWith(".js")).anyMatch(a -> a.endsWith(".css"));
    for (String asset : assets) {
      HttpResponse<byte[]> res = server.get(asset);
      assertThat(res.statusCode()).as(asset).isEqualTo(200);
      assertThat(res.body().length).as(asset + " size").isGreaterThan(0);
    }
    HttpResponse<byte[]> js = server.get(assets.stream().filter(a -> a.endsWith(".js")).findFirst().orElseThrow());
    assertThat(new String(js.body(), StandardCharsets.UTF_8)).contains("SwaggerUIBundle");
    assertThat(assets).as("a script of the page starts Swagger UI on our document").anyMatch(a -> a.endsWith(".js")
        && new String(server.get(a).body(), StandardCharsets.UTF_8).contains("\"/api/openapi.json\""));
  }

  @Test
  void placeholdersInDescriptionsAreCodeSoMarkdownDoesNotSwallowThem() {
    // Swagger UI renders descriptions as Markdown, where a bare <channel> is an HTML tag and vanishes.
    List<String> bare = new ArrayList<>();
    collectDescriptions(document, bare);
    assertThat(bare).isNotEmpty();
    assertThat(bare.stream().filter(d -> d.replaceAll("`[^`]*`", "").contains("<")).toList()).isEmpty();
  }

  private static void collectDescriptions(JsonNode node, List<String> out) {
    node.fields().forEachRemaining(e -> {
      if (e.getKey().equals("description") && e.getValue().isTextual()) {
        out.add(e.getValue().asText());
      }
    });
    node.elements().forEachRemaining(child -> collectDescriptions(child, out));
  }

  @Test
  void unknownSwaggerFilesAreNotFound() {
    assertThat(server.get("/swagger/ui/index.html").statusCode()).isEqualTo(404);
    assertThat(server.get("/swagger/ui/..%2F..%2Fopenapi.json").statusCode()).isEqualTo(404);
  }
}
