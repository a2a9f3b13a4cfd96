package io.wharf.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.server.channel.Channel;
import io.wharf.server.channel.JdbcChannelRepository;
import io.wharf.server.channel.Privacy;
import io.wharf.server.db.Database;
import io.wharf.server.db.DuplicateKeyException;
import io.wharf.server.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Users, members, tokens and sessions as stored, and authentication over them, run once per engine. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AuthStoreContract {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  private final MutableClock clock = new MutableClock(T0);
  private Database db;
  private JdbcUsers users;
  private JdbcTokens tokens;
  private JdbcSessions sessions;
  private JdbcChannelRepository channels;
  private Authenticator auth;

  protected abstract Supplier<Database> database();

  @BeforeAll
  void open() {
    db = database().get();
    users = new JdbcUsers(db);
    tokens = new JdbcTokens(db);
    sessions = new JdbcSessions(db);
    channels = new JdbcChannelRepository(db, clock);
    auth = new Authenticator(users, tokens, sessions, clock);
  }

  @AfterAll
  void close() {
    db.close();
  }

  @BeforeEach
  void empty() {
    clock.set(T0);
    db.jdbi().useHandle(h -> {
      for (String t : List.of("sessions", "token_scopes", "api_tokens", "channel_members", "users", "package_files",
          "channels")) {
        h.execute("DELETE FROM " + t);
      }
    });
  }

  private long now() {
    return clock.millis();
  }

  @Test
  void userNamesAreUniqueWithoutRegardToCaseAndFoundSo() {
    User alice = users.create("Alice", "hash", true, false, now());
    assertThat(users.byName("alice")).contains(alice);
    assertThatThrownBy(() -> users.create("ALICE", null, false, true, now())).isInstanceOf(DuplicateKeyException.class);
    users.create("bob", null, false, true, now());
    assertThat(users.list()).extracting(User::name).containsExactly("Alice", "bob");
    assertThat(users.setDisabled(alice.id(), true)).isTrue();
    assertThat(users.byId(alice.id()).orElseThrow().disabled()).isTrue();
  }

  @Test
  void aMemberHasOneRolePerChannelAndLosesItWithTheChannel() {
    Channel c = channels.create("team", "", Privacy.PRIVATE);
    User u = users.create("carol", "hash", false, false, now());
    users.putMember(c.id(), u, Role.VIEWER, io.wharf.server.history.Actor.SYSTEM);
    users.putMember(c.id(), u, Role.OWNER, io.wharf.server.history.Actor.SYSTEM);
    assertThat(users.roles(u.id())).isEqualTo(Map.of(c.id(), Role.OWNER));
    assertThat(users.members(c.id())).containsExactly(new JdbcUsers.Member("carol", Role.OWNER, false));
    channels.delete(c.id());
    assertThat(users.roles(u.id())).isEmpty();
  }

  @Test
  void theCuratorRoleIsStoredAndReadBack() {
    Channel c = channels.create("triage", "", Privacy.PRIVATE);
    User u = users.create("cora", "hash", false, false, now());
    users.putMember(c.id(), u, Role.CURATOR, io.wharf.server.history.Actor.SYSTEM);
    assertThat(users.roles(u.id())).isEqualTo(Map.of(c.id(), Role.CURATOR));
    assertThat(users.members(c.id())).containsExactly(new JdbcUsers.Member("cora", Role.CURATOR, false));
  }

  @Test
  void aTokenIsFoundByTheHashOfItsSecretWithItsScopeAndStopsWhenRevokedOrExpired() {
    Channel c = channels.create("team", "", Privacy.PRIVATE);
    User u = users.create("dave", "hash", false, false, now());
    users.putMember(c.id(), u, Role.MAINTAINER, io.wharf.server.history.Actor.SYSTEM);
    String secret = Tokens.generate();
    long id = tokens.create(u.id(), "ci", Tokens.displayPrefix(secret), Tokens.hash(secret), TokenPermission.WRITE,
        List.of(new TokenGrant.Scope(c.id(), "dev")), now(), now() + Duration.ofDays(1).toMillis());
    StoredToken t = tokens.byHash(Tokens.hash(secret)).orElseThrow();
    assertThat(t.id()).isEqualTo(id);
    assertThat(t.owner()).isEqualTo("dave");
    assertThat(t.scope()).containsExactly(new StoredToken.ScopeEntry(c.id(), "team", "dev"));
    assertThat(tokens.list(u.id())).extracting(StoredToken::id).containsExactly(id);

    Principal p = auth.authenticate(secret);
    assertThat(p.displayName()).isEqualTo("dave");
    assertThat(Access.allowed(p, c, "dev", Action.WRITE)).isTrue();
    assertThat(Access.allowed(p, c, "main", Action.READ)).as("outside its scope").isFalse();
    assertThat(tokens.byId(id).orElseThrow().lastUsedAt()).isEqualTo(T0);

    clock.set(T0.plus(Duration.ofDays(2)));
    assertThatThrownBy(() -> auth.authenticate(secret)).hasMessage("the token is not valid");
    clock.set(T0);
    assertThat(tokens.revoke(id, now())).isTrue();
    assertThatThrownBy(() -> auth.authenticate(secret)).hasMessage("the token is not valid");
  }

  @Test
  void aVerifiedTokenIsTakenOnTrustOnlyUntilThisNodeChangesItOrTheCacheTimeEnds() {
    Channel c = channels.create("cached", "", Privacy.PRIVATE);
    User u = users.create("frank", "hash", false, false, now());
    users.putMember(c.id(), u, Role.VIEWER, io.wharf.server.history.Actor.SYSTEM);
    String secret = Tokens.generate();
    long id = tokens.create(u.id(), "ci", Tokens.displayPrefix(secret), Tokens.hash(secret), TokenPermission.WRITE,
        List.of(), now(), null);
    assertThat(Access.allowed(auth.authenticate(secret), c, "main", Action.WRITE)).isFalse();

    users.putMember(c.id(), u, Role.MAINTAINER, io.wharf.server.history.Actor.SYSTEM);
    assertThat(Access.allowed(auth.authenticate(secret), c, "main", Action.WRITE))
        .as("a role given on this node counts at once").isTrue();

    // Another node (its own objects on the same database) revokes the token.
    assertThat(new JdbcTokens(db).revoke(id, now())).isTrue();
    assertThat(auth.authenticate(secret).displayName()).as("still taken on trust here").isEqualTo("frank");
    clock.set(T0.plusMillis(Authenticator.CACHE_MILLIS));
    assertThatThrownBy(() -> auth.authenticate(secret)).as("but only for the cache time")
        .hasMessage("the token is not valid");
  }

  @Test
  void aUserDisabledOnThisNodeLosesTheirRememberedTokenAtOnce() {
    User u = users.create("gina", "hash", false, false, now());
    String secret = Tokens.generate();
    tokens.create(u.id(), "ci", Tokens.displayPrefix(secret), Tokens.hash(secret), TokenPermission.READ, List.of(),
        now(), null);
    assertThat(auth.authenticate(secret).displayName()).isEqualTo("gina");

    users.setDisabled(u.id(), true);

    assertThatThrownBy(() -> auth.authenticate(secret)).hasMessage("the token is not valid");
  }

  @Test
  void aScopedTokenWhoseChannelsAreGoneReachesNothing() {
    Channel c = channels.create("gone", "", Privacy.PUBLIC);
    Channel other = channels.create("other", "", Privacy.PRIVATE);
    User u = users.create("erin", "hash", true, false, now());
    String secret = Tokens.generate();
    tokens.create(u.id(), "t", "p", Tokens.hash(secret), TokenPermission.MANAGE,
        List.of(new TokenGrant.Scope(c.id(), null)), now(), null);
    channels.delete(c.id());
    StoredToken t = tokens.byHash(Tokens.hash(secret)).orElseThrow();
    assertThat(t.scoped()).isTrue();
    assertThat(t.scope()).isEmpty();
    Principal p = auth.authenticate(secret);
    assertThat(Access.allowed(p, other, Action.READ)).as("even for an administrator's token").isFalse();
    assertThat(p.isAdmin()).isFalse();
  }

  @Test
  void theBootstrapTokenIsReplacedNotAdded() {
    assertThat(tokens.hasBootstrap()).isFalse();
    tokens.replaceBootstrap(Tokens.hash("first-bootstrap-token"), "first", now());
    tokens.replaceBootstrap(Tokens.hash("second-bootstrap-token"), "second", now());
    assertThat(tokens.list(null)).extracting(StoredToken::prefix).containsExactly("second");
    assertThat(auth.authenticate("second-bootstrap-token").isAdmin()).isTrue();
    assertThatThrownBy(() -> auth.authenticate("first-bootstrap-token")).hasMessage("the token is not valid");
  }

  @Test
  void aSessionIsFoundByItsCookieUntilItEndsOrTheUserIsDisabled() {
    User u = users.create("frank", Passwords.hash("frank's password"), false, false, now());
    Authenticator.SignedIn in = auth.signIn("Frank", "frank's password", "192.0.2.1");
    assertThat(sessions.find(in.cookie())).as("stored hashed only").isEmpty();
    assertThat(auth.session(in.cookie()).orElseThrow().principal().displayName()).isEqualTo("frank");
    assertThat(auth.session(in.cookie()).orElseThrow().session().csrf()).isEqualTo(in.csrf());

    users.setDisabled(u.id(), true);
    assertThat(auth.session(in.cookie())).isEmpty();
    users.setDisabled(u.id(), false);
    clock.set(T0.plusMillis(Authenticator.SESSION_MILLIS + 1));
    assertThat(auth.session(in.cookie())).isEmpty();
    clock.set(T0);
    auth.signOut(in.cookie());
    assertThat(auth.session(in.cookie())).isEmpty();
  }

  @Test
  void aWrongPasswordIsRefusedTheSameWayAsAnUnknownUser() {
    users.create("gina", Passwords.hash("gina's password"), false, false, now());
    assertThatThrownBy(() -> auth.signIn("gina", "wrong", "192.0.2.2"))
        .hasMessage("the user name or password is not right");
    assertThatThrownBy(() -> auth.signIn("nobody", "wrong", "192.0.2.2"))
        .hasMessage("the user name or password is not right");
  }
}
