package io.wharf.server.auth;

import io.wharf.server.history.Actor;

import io.wharf.server.channel.Channel;
import io.wharf.server.error.WharfException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Personal and service-account tokens: created with a name, a permission, an optional scope and an
 * expiry; the secret is returned once and only its hash is kept.
 */
public final class TokenService {
  /** What the creator sees once. */
  public record Created(String secret, StoredToken token) {}

  private final JdbcTokens tokens;
  private final ChannelAccess channels;
  private final UserService users;
  private final Clock clock;
  private final int defaultDays;
  private final int maxDays;

  public TokenService(JdbcTokens tokens, ChannelAccess channels, UserService users, Clock clock, int defaultDays,
      int maxDays) {
    this.tokens = tokens;
    this.channels = channels;
    this.users = users;
    this.clock = clock;
    this.defaultDays = defaultDays;
    this.maxDays = maxDays;
  }

  public int defaultDays() {
    return defaultDays;
  }

  public int maxDays() {
    return maxDays;
  }

  /**
   * @param owner the user the token acts for; null for the caller. Only administrators name another.
   * @param scope channel names, or {@code channel/label} for one subchannel; empty for everything the
   *     owner may do
   */
  public Created create(Principal who, String name, String owner, List<String> scope, String permission,
      Integer expiresDays, Actor actor) {
    requireManaging(who);
    if (name == null || name.isBlank() || name.length() > 100) {
      throw WharfException.invalid("invalid_token_name", "a token needs a name of 1-100 characters");
    }
    TokenPermission perm = permission == null ? TokenPermission.READ : TokenPermission.parse(permission);
    if (perm == null) {
      throw WharfException.invalid("invalid_permission", "permission must be read, write or manage");
    }
    int days = expiresDays == null ? defaultDays : expiresDays;
    if (days < 1 || days > maxDays) {
      throw WharfException.invalid("invalid_expiry", "a token expires after 1 to " + maxDays + " days",
          java.util.Map.of("max_days", maxDays));
    }
    User ownerUser = owner(who, owner);
    List<TokenGrant.Scope> entries = new ArrayList<>();
    for (String s : scope == null ? List.<String>of() : scope) {
      int slash = s.indexOf('/');
      String channel = slash < 0 ? s : s.substring(0, slash);
      String label = slash < 0 ? null : s.substring(slash + 1);
      // a channel the caller may not read answers as if it did not exist
      Channel c = channels.readable(channel, who);
      entries.add(new TokenGrant.Scope(c.id(), label == null || label.isEmpty() ? null
          : io.wharf.server.channel.ChannelNames.requireLabel(label)));
    }
    String secret = Tokens.generate();
    long now = clock.millis();
    long id = tokens.create(ownerUser.id(), name.trim(), Tokens.displayPrefix(secret), Tokens.hash(secret), perm,
        entries, now, now + Duration.ofDays(days).toMillis(), actor);
    return new Created(secret, tokens.byId(id).orElseThrow());
  }

  private User owner(Principal who, String owner) {
    if (owner == null || owner.isBlank() || who.userId().isPresent() && owner.equalsIgnoreCase(who.displayName())) {
      return who.userId().flatMap(id -> users.find(id)).orElseThrow(() -> WharfException.invalid("owner_required",
          "the bootstrap token belongs to no user: name the token's owner (a user or service account)"));
    }
    if (!who.isAdmin()) {
      throw WharfException.forbidden("only administrators create tokens for other users");
    }
    User u = users.require(owner);
    if (u.disabled()) {
      throw WharfException.invalid("user_disabled", "user '" + u.name() + "' is disabled");
    }
    return u;
  }

  /** The caller's own tokens; every token when an administrator asks for all. */
  public List<StoredToken> list(Principal who, boolean all) {
    requireManaging(who);
    if (all || who.userId().isEmpty()) {
      Authenticator.requireAdmin(who);
      return tokens.list(null);
    }
    return tokens.list(who.userId().get());
  }

  public StoredToken revoke(Principal who, long id, Actor actor) {
    requireManaging(who);
    StoredToken t = tokens.byId(id)
        .filter(x -> who.isAdmin() || (x.userId() != null && who.userId().map(u -> u.equals(x.userId())).orElse(false)))
        .orElseThrow(() -> WharfException.notFound("token_not_found", "token " + id + " does not exist"));
    tokens.revoke(t.id(), clock.millis(), actor);
    return tokens.byId(id).orElseThrow();
  }

  /** Tokens are managed by signed-in users, or through a token that may do all its owner may. */
  private static void requireManaging(Principal who) {
    Authenticator.requireSignedIn(who);
    if (who.token().map(t -> !t.instanceWide()).orElse(false)) {
      throw WharfException.forbidden("this token may not manage tokens; that needs an unscoped manage token");
    }
  }
}
