package io.wharf.server.web;

import io.javalin.config.JettyConfig;
import io.wharf.server.config.HttpLimits;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Applies {@link HttpLimits} to Jetty. Handlers block on platform threads (Java 17 has no virtual threads),
 * so each request being handled holds one worker; these limits keep a client from holding one at its own
 * pace.
 */
final class JettyLimits {
  private static final int MIN_THREADS = 8;
  private static final int THREAD_IDLE_MILLIS = 60_000;

  private JettyLimits() {}

  static void apply(JettyConfig jetty, HttpLimits limits) {
    QueuedThreadPool pool = new QueuedThreadPool(limits.threads(), Math.min(MIN_THREADS, limits.threads()),
        THREAD_IDLE_MILLIS);
    pool.setName("wharf-http");
    jetty.threadPool = pool;
    jetty.modifyHttpConfiguration(http -> {
      // Jetty's minimum data rate counts from a body's first byte to each read, so it refused small bodies
      // read late on a busy server: package bodies are paced by PacedBody instead, counting only the time
      // spent waiting for the client; other bodies are small, and the idle timeout ends one that stalls.
      http.setMinRequestDataRate(0);
      // While a request is handled (a handler blocked on a read or a write)...
      http.setIdleTimeout(limits.idleTimeoutMillis());
    });
    // ...and between requests. Javalin adds its connector just before the server starts.
    jetty.modifyServer(server -> server.addEventListener(new LifeCycle.Listener() {
      @Override
      public void lifeCycleStarting(LifeCycle event) {
        for (Connector c : server.getConnectors()) {
          if (c instanceof AbstractConnector connector) {
            connector.setIdleTimeout(limits.idleTimeoutMillis());
          }
        }
      }
    }));
  }
}
