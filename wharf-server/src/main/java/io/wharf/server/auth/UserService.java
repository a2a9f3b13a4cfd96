package io.wharf.server.auth;

import io.wharf.server.db.DuplicateKeyException;
import io.wharf.server.error.WharfException;
import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;

/** Creating, listing and disabling local accounts; only administrators may. */
public final class UserService {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private final JdbcUsers users;
  private final Clock clock;

  public UserService(JdbcUsers users, Clock clock) {
    this.users = users;
    this.clock = clock;
  }

  public User create(Principal who, String name, String password, boolean admin, boolean service) {
    Authenticator.requireAdmin(who);
    return create(name, password, admin, service);
  }

  /**
   * Without a caller: for {@code wharf user create --data-dir}, run by whoever may read the data
   * directory, which is how a first administrator is made besides the bootstrap token.
   */
  public User create(String name, String password, boolean admin, boolean service) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw WharfException.invalid("invalid_user_name", "a user name is 1-64 characters of letters, digits,"
          + " '.', '_' and '-', starting with a letter or digit");
    }
    if (service && password != null) {
      throw WharfException.invalid("invalid_password", "a service account has no password; it uses tokens");
    }
    if (!service) {
      String problem = Passwords.problem(password);
      if (problem != null) {
        throw WharfException.invalid("invalid_password", problem);
      }
    }
    try {
      return users.create(name, service ? null : Passwords.hash(password), admin, service, clock.millis());
    } catch (DuplicateKeyException e) {
      throw WharfException.conflict("user_exists", "user '" + name + "' already exists");
    }
  }

  public List<User> list(Principal who) {
    Authenticator.requireAdmin(who);
    return users.list();
  }

  public User setDisabled(Principal who, String name, boolean disabled) {
    Authenticator.requireAdmin(who);
    User u = require(name);
    if (disabled && who.userId().map(id -> id == u.id()).orElse(false)) {
      throw WharfException.invalid("cannot_disable_self", "you cannot disable your own account");
    }
    users.setDisabled(u.id(), disabled);
    return users.byId(u.id()).orElseThrow();
  }

  public java.util.Optional<User> find(long id) {
    return users.byId(id);
  }

  public User require(String name) {
    return (name == null ? java.util.Optional.<User>empty() : users.byName(name)).orElseThrow(() ->
        WharfException.notFound("user_not_found", "user '" + name + "' does not exist"));
  }
}
