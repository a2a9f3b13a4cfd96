package io.wharf.server.history;

/**
 * Who made a change and from which client address (null when there is none, e.g. the server itself).
 * The web layer forms it from the request; the name is whatever identifies the principal.
 */
public record Actor(String name, String address) {
  /** Changes the server makes on its own, or that a caller makes without a request (tests, tools). */
  public static final Actor SYSTEM = new Actor("system", null);

  public Actor {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("an actor needs a name");
    }
  }
}
