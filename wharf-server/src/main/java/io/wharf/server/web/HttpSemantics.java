package io.wharf.server.web;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import io.javalin.router.InternalRouter;
import io.javalin.router.ParsedEndpoint;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * The parts of HTTP that every route shares. HEAD runs the GET handler (RFC 9110 §9.3.2: same status
 * and headers, no body; Jetty drops the body of a HEAD response), instead of Javalin's empty 200 for
 * any path that has a GET route. A method that a path does not take is 405 with {@code Allow}
 * (§15.5.6) instead of 404, whatever the method's name (PROPFIND, PATCH, ...).
 */
final class HttpSemantics {
  private final AtomicReference<InternalRouter> router = new AtomicReference<>();

  /** Inside {@code Javalin.create}: 405 for known paths, answered with the methods they take. */
  void configure(JavalinConfig config, PageRenderer pages) {
    config.http.prefer405over404 = true;
    config.routes.error(405, ctx -> {
      String allow = String.join(", ", allowed(ctx));
      ctx.header("Allow", allow);
      ErrorMapper.respond(ctx, 405, "method_not_allowed",
          ctx.method() + " is not allowed on " + ctx.path() + "; use " + allow, Map.of("allow", allow), pages);
    });
  }

  /** After every route is registered: a HEAD route beside each GET route that has none of its own. */
  void install(Javalin app) {
    InternalRouter r = app.unsafe.internalRouter;
    router.set(r);
    Set<String> heads = r.allHttpHandlers().stream().map(p -> p.endpoint)
        .filter(e -> e.method.equals(HandlerType.HEAD)).map(e -> e.path).collect(Collectors.toSet());
    for (ParsedEndpoint p : List.copyOf(r.allHttpHandlers())) {
      Endpoint e = p.endpoint;
      if (e.method.equals(HandlerType.GET) && !heads.contains(e.path)) {
        r.addHttpEndpoint(new Endpoint(HandlerType.HEAD, e.path, e.handler));
      }
    }
  }

  private Set<String> allowed(Context ctx) {
    Set<String> methods = new TreeSet<>();
    InternalRouter r = router.get();
    if (r != null) {
      for (ParsedEndpoint p : r.allHttpHandlers()) {
        if (p.endpoint.method.isHttpMethod() && p.matches(ctx.path())) {
          methods.add(p.endpoint.method.name());
        }
      }
    }
    return methods;
  }
}
