package io.wharf.server.auth;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The most a token may do, whatever its owner may: {@code read}, {@code write} (read, write and curate CVE statuses) or
 * {@code manage} (everything its owner may do, administration included when the token has no scope).
 */
public enum TokenPermission {
  READ(EnumSet.of(Action.READ)),
  WRITE(EnumSet.of(Action.READ, Action.WRITE, Action.CURATE)),
  MANAGE(EnumSet.allOf(Action.class));

  private final Set<Action> allows;

  TokenPermission(Set<Action> allows) {
    this.allows = allows;
  }

  public boolean allows(Action action) {
    return allows.contains(action);
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static TokenPermission parse(String value) {
    if (value == null) {
      return null;
    }
    for (TokenPermission p : values()) {
      if (p.name().equalsIgnoreCase(value.trim())) {
        return p;
      }
    }
    return null;
  }
}
