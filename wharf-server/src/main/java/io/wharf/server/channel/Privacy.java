package io.wharf.server.channel;

/** Who may read a channel: anyone, any signed-in user, or only users granted access. */
public enum Privacy {
  PUBLIC,
  AUTHENTICATED,
  PRIVATE
}
