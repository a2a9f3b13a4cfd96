package io.wharf.server.auth;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A user's role in one channel. Instance administrators need none: they may do everything everywhere. A
 * curator reads and curates CVE statuses without publishing (a security reviewer); maintainers curate too,
 * since they know what the files they publish contain.
 */
public enum Role {
  VIEWER(EnumSet.of(Action.READ)),
  CURATOR(EnumSet.of(Action.READ, Action.CURATE)),
  MAINTAINER(EnumSet.of(Action.READ, Action.WRITE, Action.CURATE)),
  OWNER(EnumSet.allOf(Action.class));

  private final Set<Action> grants;

  Role(Set<Action> grants) {
    this.grants = grants;
  }

  public boolean grants(Action action) {
    return grants.contains(action);
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role named by {@code viewer}, {@code curator}, {@code maintainer} or {@code owner}, in any case; null when none is. */
  public static Role parse(String value) {
    if (value == null) {
      return null;
    }
    for (Role r : values()) {
      if (r.name().equalsIgnoreCase(value.trim())) {
        return r;
      }
    }
    return null;
  }
}
