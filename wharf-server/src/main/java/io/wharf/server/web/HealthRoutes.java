package io.wharf.server.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** Liveness (the process answers) and readiness (database and blob store answer). */
final class HealthRoutes {
  interface Probe {
    void check() throws Exception;
  }

  private final Map<String, Probe> probes;

  HealthRoutes(Map<String, Probe> probes) {
    this.probes = probes;
  }

  void register(RoutesConfig routes) {
    routes.get("/health/live", ctx -> ctx.json(Map.of("status", "up")));
    routes.get("/health/ready", this::ready);
  }

  private void ready(Context ctx) {
    Map<String, Object> checks = new LinkedHashMap<>();
    boolean ok = true;
    for (Map.Entry<String, Probe> p : probes.entrySet()) {
      try {
        p.getValue().check();
        checks.put(p.getKey(), "up");
      } catch (Exception e) {
        ok = false;
        checks.put(p.getKey(), "down: " + e.getMessage());
      }
    }
    ctx.status(ok ? 200 : 503).json(Map.of("status", ok ? "up" : "down", "checks", checks));
  }
}
