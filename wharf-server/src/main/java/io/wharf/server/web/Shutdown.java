package io.wharf.server.web;

import io.javalin.config.JettyConfig;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.handler.GracefulHandler;

/**
 * A graceful stop: Jetty's graceful shutdown closes the listening socket at once, and {@link GracefulHandler}
 * lets the requests in flight finish (new requests on open connections get 503 and
 * {@code Connection: close}) for at most the stop bound; after it Jetty closes the connections that are left.
 * It sits ahead of every handler, the servlet context Javalin attaches last included.
 *
 * <p>The server and this handler are not dynamic (their handlers are fixed once started), so that Jetty takes
 * the invocation type of the chain from {@code inner} (see {@link CondaFastPath}) instead of assuming a
 * blocking handler and handing every request to the thread pool.
 */
final class Shutdown {
  private Shutdown() {}

  /** {@code inner}: the handler chain ahead of Javalin's, which Javalin attaches to its innermost wrapper. */
  static void configure(JettyConfig jetty, long timeoutMillis, Handler.Wrapper inner) {
    jetty.modifyServer(server -> {
      server.setStopTimeout(timeoutMillis);
      GracefulHandler graceful = new GracefulHandler(inner);
      graceful.setDynamic(false);
      server.setDynamic(false);
      server.setHandler(graceful);
    });
  }
}
