package io.wharf.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;

/** The address {@code serve} listens on, tried before start-up creates anything. */
final class ListenAddress {
  private ListenAddress() {}

  /**
   * Binds and releases the port, so that a port in use or an address this machine does not have is
   * reported before the data directory, database or token exist. Port 0 (any free port) always works.
   */
  static void requireFree(String host, int port) {
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("host '" + host + "' is neither an IP address nor a name that resolves");
    }
    if (port == 0) {
      return;
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true); // as Jetty does, so a socket in TIME_WAIT does not count as in use
      probe.bind(new InetSocketAddress(address, port));
    } catch (IOException e) {
      throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + e.getMessage()
          + " (is another server using the port? choose one with --port)");
    }
  }
}
