package io.wharf.server.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Liveness (the process answers) and readiness (database and blob store answer). Anyone may ask, so
 * the answer is only up or down: why a backend failed (its endpoint, bucket, database message) goes to
 * the log, once per change, not to the caller.
 */
final class HealthRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(HealthRoutes.class);

  interface Probe {
    void check() throws Exception;
  }

  private final Map<String, Probe> probes;
  // The last failure logged per probe, so a load balancer polling a broken node does not flood the log.
  private final Map<String, String> lastFailure = new ConcurrentHashMap<>();

  HealthRoutes(Map<String, Probe> probes) {
    this.probes = new LinkedHashMap<>(probes);
  }

  void register(RoutesConfig routes) {
    routes.get("/health/live", ctx -> ctx.json(Map.of("status", "up")));
    routes.get("/health/ready", this::ready);
  }

  private void ready(Context ctx) {
    boolean ok = true;
    for (Map.Entry<String, Probe> p : probes.entrySet()) {
      ok &= probe(p.getKey(), p.getValue());
    }
    ctx.header("Cache-Control", "no-store");
    ctx.status(ok ? 200 : 503).json(Map.of("status", ok ? "up" : "down"));
  }

  private boolean probe(String name, Probe probe) {
    try {
      probe.check();
      if (lastFailure.remove(name) != null) {
        LOG.info("readiness: {} is up again", name);
      }
      return true;
    } catch (Exception e) {
      String why = e.getClass().getSimpleName() + ": " + e.getMessage();
      if (!Objects.equals(lastFailure.put(name, why), why)) {
        LOG.warn("readiness: {} is down: {}", name, why);
      }
      return false;
    }
  }
}
