package io.wharf.server.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;

/**
 * Registers REST routes and remembers them, so a test can prove each one is described in the
 * OpenAPI document.
 */
public final class RouteTable {
  public record Route(String method, String path) {}

  private final RoutesConfig routes;
  private final List<Route> registered = new ArrayList<>();

  RouteTable(RoutesConfig routes) {
    this.routes = routes;
  }

  void add(HandlerType method, String path, Handler handler) {
    routes.addHttpHandler(method, path, handler);
    registered.add(new Route(method.name().toLowerCase(java.util.Locale.ROOT), path));
  }

  public List<Route> routes() {
    return List.copyOf(registered);
  }
}
