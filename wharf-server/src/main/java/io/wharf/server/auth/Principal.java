package io.wharf.server.auth;

/** Who is asking. Users, roles and scoped tokens come later; for now there is the administrator or nobody. */
public enum Principal {
  ANONYMOUS,
  ADMIN;

  public boolean isAdmin() {
    return this == ADMIN;
  }
}
