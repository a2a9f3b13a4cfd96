package io.wharf.server.web;

import io.javalin.config.JettyConfig;
import org.eclipse.jetty.server.handler.GracefulHandler;

/**
 * A graceful stop: Jetty's graceful shutdown closes the listening socket at once, and {@link GracefulHandler}
 * lets the requests in flight finish (new requests on open connections get 503 and
 * {@code Connection: close}) for at most the stop bound; after it Jetty closes the connections that are left.
 */
final class Shutdown {
  private Shutdown() {}

  static void configure(JettyConfig jetty, long timeoutMillis) {
    jetty.modifyServer(server -> server.setStopTimeout(timeoutMillis));
    jetty.modifyServletContextHandler(context -> context.insertHandler(new GracefulHandler()));
  }
}
