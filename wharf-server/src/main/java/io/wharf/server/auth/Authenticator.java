package io.wharf.server.auth;

import io.wharf.server.error.WharfException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns presented credentials into a {@link Principal}: a token, or a browser session. A token
 * presented but unknown, expired or revoked is an error, not anonymity.
 *
 * <p>A verified token is remembered for at most {@link #CACHE_MILLIS}, so that a conda client sending
 * its token with every request does not cost four database reads each time. A revocation, a disabled
 * user or a changed role made on this node drops every remembered token at once; one made on another
 * node takes effect here within {@link #CACHE_MILLIS}. Expiry is checked on every use. Sessions are
 * read from the database on every request.
 */
public final class Authenticator {
  /** A token's last use is written at most this often, so that busy tokens do not write on every request. */
  static final long TOUCH_INTERVAL_MILLIS = 60_000;
  /** How long a browser session lasts. */
  public static final long SESSION_MILLIS = 12 * 60 * 60 * 1000L;

  /** A signed-in browser: the cookie value to set and the CSRF token its forms must carry. */
  public record SignedIn(String cookie, String csrf, long expiresAt, Principal principal) {}

  /** The session a cookie names and who it belongs to. */
  public record SessionAuth(Principal principal, JdbcSessions.Session session) {}

  private final JdbcUsers users;
  private final JdbcTokens tokens;
  private final JdbcSessions sessions;
  private final Clock clock;
  private final SignInThrottle throttle = new SignInThrottle();
  private final Map<Long, Long> touched = new ConcurrentHashMap<>();
  /** How long a verified token is taken on trust before the database is read again. */
  static final long CACHE_MILLIS = 1_000;
  private static final int CACHE_ENTRIES = 10_000;

  /** A verified token: who it makes the caller, as of this node's write counts then. */
  private record Verified(StoredToken token, Principal who, long at, long tokenWrites, long userWrites) {}

  private final Map<String, Verified> verified = new ConcurrentHashMap<>();

  public Authenticator(JdbcUsers users, JdbcTokens tokens, JdbcSessions sessions, Clock clock) {
    this.users = users;
    this.tokens = tokens;
    this.sessions = sessions;
    this.clock = clock;
  }

  public Principal authenticate(String presentedToken) {
    if (presentedToken == null || presentedToken.isEmpty()) {
      return Principal.ANONYMOUS;
    }
    if (!Tokens.isWellFormed(presentedToken)) {
      throw invalidToken();
    }
    long now = clock.millis();
    String hash = Tokens.hash(presentedToken);
    // Read before the database: a write that commits after this read makes the entry stale at once.
    long tokenWrites = tokens.writes();
    long userWrites = users.writes();
    Verified known = verified.get(hash);
    if (known != null && now - known.at() < CACHE_MILLIS && now >= known.at()
        && known.tokenWrites() == tokenWrites && known.userWrites() == userWrites
        && known.token().usableAt(java.time.Instant.ofEpochMilli(now))) {
      touch(known.token().id(), now);
      return known.who();
    }
    verified.remove(hash);
    StoredToken t = tokens.byHash(hash).orElseThrow(Authenticator::invalidToken);
    if (!t.usableAt(java.time.Instant.ofEpochMilli(now))) {
      throw invalidToken();
    }
    Principal who;
    if (t.userId() == null) {
      who = Principal.bootstrap(t.grant());
    } else {
      User u = users.byId(t.userId()).filter(x -> !x.disabled()).orElseThrow(Authenticator::invalidToken);
      who = Principal.token(u, users.roles(u.id()), t.grant());
    }
    if (verified.size() >= CACHE_ENTRIES) {
      verified.clear(); // many distinct tokens at once: start over rather than grow
    }
    verified.put(hash, new Verified(t, who, now, tokenWrites, userWrites));
    touch(t.id(), now);
    return who;
  }

  private void touch(long tokenId, long now) {
    Long last = touched.get(tokenId);
    if (last == null || now - last >= TOUCH_INTERVAL_MILLIS) {
      touched.put(tokenId, now);
      tokens.touch(tokenId, now);
    }
  }

  /** The session this cookie value names, when it is live and its user enabled. */
  public Optional<SessionAuth> session(String cookie) {
    if (cookie == null || !Tokens.isWellFormed(cookie)) {
      return Optional.empty();
    }
    long now = clock.millis();
    return sessions.find(Tokens.hash(cookie)).filter(s -> s.expiresAt() > now)
        .flatMap(s -> users.byId(s.userId()).filter(u -> !u.disabled())
            .map(u -> new SessionAuth(Principal.session(u, users.roles(u.id())), s)));
  }

  /** Checks the password (slowed down after repeated failures) and starts a session. */
  public SignedIn signIn(String name, String password, String clientAddress) {
    long now = clock.millis();
    throttle.check(name, clientAddress, now);
    Optional<User> user = name == null || name.isBlank() ? Optional.empty() : users.byName(name.trim());
    boolean ok = user.isPresent() && !user.get().disabled() && user.get().passwordHash() != null
        && Passwords.matches(password, user.get().passwordHash());
    if (!ok) {
      if (user.isEmpty()) {
        // the same work as a real check, so timing does not tell which user names exist
        Passwords.matches(String.valueOf(password), DUMMY_HASH);
      }
      throttle.failed(name, clientAddress, now);
      throw WharfException.unauthorized("the user name or password is not right");
    }
    throttle.succeeded(name);
    User u = user.get();
    String cookie = Tokens.generate("ws-");
    String csrf = Tokens.generate("wc-");
    long expires = now + SESSION_MILLIS;
    sessions.create(new JdbcSessions.Session(Tokens.hash(cookie), u.id(), csrf, expires), now);
    return new SignedIn(cookie, csrf, expires, Principal.session(u, users.roles(u.id())));
  }

  public void signOut(String cookie) {
    if (cookie != null && Tokens.isWellFormed(cookie)) {
      sessions.delete(Tokens.hash(cookie));
    }
  }

  private static final String DUMMY_HASH = Passwords.hash("not a password anyone has");

  private static WharfException invalidToken() {
    return WharfException.unauthorized("the token is not valid");
  }

  public static void requireAdmin(Principal principal) {
    if (principal.isAnonymous()) {
      throw WharfException.unauthorized("this action needs a token; pass it as 'Authorization: Bearer <token>'");
    }
    if (!principal.isAdmin()) {
      throw WharfException.forbidden("this action needs an administrator");
    }
  }

  public static void requireSignedIn(Principal principal) {
    if (principal.isAnonymous()) {
      throw WharfException.unauthorized("this action needs a token; pass it as 'Authorization: Bearer <token>'");
    }
  }
}
