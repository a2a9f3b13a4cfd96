package io.wharf.server.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;

/**
 * The OpenAPI document (kept by hand in {@code openapi.json}, checked against the route table by a
 * test) and Swagger UI from its webjar, started by our own initializer page.
 */
final class DocsRoutes {
  /** Ours, not the webjar's: a file rather than an inline script, so the page needs no inline script in its CSP. */
  static final String INITIALIZER = "wharf-swagger-init.js";
  static final String OPENAPI_RESOURCE = "/io/wharf/server/web/openapi.json";
  private static final String OUR_ROOT = "/io/wharf/server/web/";
  private static final String SWAGGER_ROOT = "/META-INF/resources/webjars/swagger-ui/5.34.1/";
  private static final Map<String, String> SWAGGER_FILES = Map.of(
      "swagger-ui.css", "text/css",
      "swagger-ui-bundle.js", "text/javascript",
      "swagger-ui-standalone-preset.js", "text/javascript",
      "favicon-32x32.png", "image/png",
      INITIALIZER, "text/javascript");

  private final byte[] openapi;

  DocsRoutes() {
    this.openapi = StaticAssets.resource(OPENAPI_RESOURCE);
  }

  void register(RoutesConfig routes) {
    routes.get("/api/openapi.json", ctx -> ctx.contentType("application/json").result(openapi));
    routes.get("/swagger", ctx -> ctx.redirect("/swagger/ui"));
    routes.get("/swagger/ui", ctx -> ctx.contentType(PageRenderer.HTML).result(INDEX));
    routes.get("/swagger/ui/{file}", this::asset);
  }

  private void asset(Context ctx) {
    StaticAssets.serve(ctx, INITIALIZER.equals(ctx.pathParam("file")) ? OUR_ROOT : SWAGGER_ROOT, SWAGGER_FILES);
  }

  private static final String INDEX = """
      <!doctype html>
      <html lang="en">
      <head>
        <meta charset="utf-8">
        <title>Wharf API</title>
        <link rel="stylesheet" href="/swagger/ui/swagger-ui.css">
        <link rel="icon" href="/swagger/ui/favicon-32x32.png">
      </head>
      <body>
        <div id="swagger-ui"></div>
        <script src="/swagger/ui/swagger-ui-bundle.js"></script>
        <script src="/swagger/ui/wharf-swagger-init.js"></script>
      </body>
      </html>
      """;
}
