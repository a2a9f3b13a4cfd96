package io.wharf.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.channel.Channel;
import io.wharf.server.channel.Privacy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one permission rule, without a server: roles, privacy, and tokens as the intersection with their owner. */
class AccessTest {
  private static final Channel PUB = channel(1, Privacy.PUBLIC);
  private static final Channel MEMBERS = channel(2, Privacy.AUTHENTICATED);
  private static final Channel PRIV = channel(3, Privacy.PRIVATE);

  private static Channel channel(long id, Privacy p) {
    return new Channel(id, "c" + id, "", p, Instant.EPOCH);
  }

  private static User user(boolean admin) {
    return new User(7, "u", null, admin, false, false, Instant.EPOCH);
  }

  private static TokenGrant grant(TokenPermission p, TokenGrant.Scope... scope) {
    return new TokenGrant(9, p, scope.length > 0, List.of(scope));
  }

  @Test
  void anonymousCallersReadOnlyPublicChannelsAndChangeNothing() {
    assertThat(Access.allowed(Principal.ANONYMOUS, PUB, Action.READ)).isTrue();
    assertThat(Access.allowed(Principal.ANONYMOUS, PUB, Action.WRITE)).isFalse();
    assertThat(Access.allowed(Principal.ANONYMOUS, MEMBERS, Action.READ)).isFalse();
    assertThat(Access.allowed(Principal.ANONYMOUS, PRIV, Action.READ)).isFalse();
  }

  @Test
  void rolesGrantTheirActionsOnTheirChannelOnly() {
    Principal viewer = Principal.session(user(false), Map.of(PRIV.id(), Role.VIEWER));
    Principal maintainer = Principal.session(user(false), Map.of(PRIV.id(), Role.MAINTAINER));
    Principal owner = Principal.session(user(false), Map.of(PRIV.id(), Role.OWNER));
    assertThat(Access.allowed(viewer, PRIV, Action.READ)).isTrue();
    assertThat(Access.allowed(viewer, PRIV, Action.WRITE)).isFalse();
    assertThat(Access.allowed(maintainer, PRIV, Action.WRITE)).isTrue();
    assertThat(Access.allowed(maintainer, PRIV, Action.MANAGE)).isFalse();
    assertThat(Access.allowed(owner, PRIV, Action.MANAGE)).isTrue();
    assertThat(Access.allowed(owner, PUB, Action.WRITE)).as("no role there").isFalse();
    assertThat(Access.allowed(viewer, MEMBERS, Action.READ)).as("any signed-in user").isTrue();
  }

  @Test
  void curatorsAndMaintainersCurateButOnlyMaintainersWriteAndAReadTokenCuratesNothing() {
    Principal viewer = Principal.session(user(false), Map.of(PRIV.id(), Role.VIEWER));
    Principal curator = Principal.session(user(false), Map.of(PRIV.id(), Role.CURATOR));
    Principal maintainer = Principal.session(user(false), Map.of(PRIV.id(), Role.MAINTAINER));
    assertThat(Access.allowed(viewer, PRIV, Action.CURATE)).isFalse();
    assertThat(Access.allowed(curator, PRIV, Action.READ)).isTrue();
    assertThat(Access.allowed(curator, PRIV, Action.CURATE)).isTrue();
    assertThat(Access.allowed(curator, PRIV, Action.WRITE)).isFalse();
    assertThat(Access.allowed(curator, PUB, Action.CURATE)).as("no role there").isFalse();
    assertThat(Access.allowed(maintainer, PRIV, Action.CURATE)).isTrue();
    Map<Long, Role> roles = Map.of(PRIV.id(), Role.CURATOR);
    assertThat(Access.allowed(Principal.token(user(false), roles, grant(TokenPermission.READ)), PRIV,
        Action.CURATE)).isFalse();
    assertThat(Access.allowed(Principal.token(user(false), roles, grant(TokenPermission.WRITE)), PRIV,
        Action.CURATE)).isTrue();
  }

  @Test
  void aTokenMayDoOnlyWhatBothItAndItsOwnerMay() {
    Map<Long, Role> roles = Map.of(PRIV.id(), Role.MAINTAINER);
    Principal read = Principal.token(user(false), roles, grant(TokenPermission.READ));
    assertThat(Access.allowed(read, PRIV, Action.READ)).isTrue();
    assertThat(Access.allowed(read, PRIV, Action.WRITE)).isFalse();
    Principal manage = Principal.token(user(false), roles, grant(TokenPermission.MANAGE));
    assertThat(Access.allowed(manage, PRIV, Action.MANAGE)).as("more than its owner may").isFalse();
    Principal dev = Principal.token(user(false), roles, grant(TokenPermission.WRITE,
        new TokenGrant.Scope(PRIV.id(), "dev")));
    assertThat(Access.allowed(dev, PRIV, "dev", Action.WRITE)).isTrue();
    assertThat(Access.allowed(dev, PRIV, "main", Action.READ)).isFalse();
    assertThat(Access.allowed(dev, PRIV, Action.READ)).as("the channel as a whole").isFalse();
    assertThat(Access.allowed(dev, MEMBERS, Action.READ)).as("any valid token reads authenticated channels")
        .isTrue();
  }

  @Test
  void anAdministratorsReadTokenIsNoAdministrator() {
    Principal admin = Principal.session(user(true), Map.of());
    assertThat(admin.isAdmin()).isTrue();
    assertThat(Access.allowed(admin, PRIV, Action.MANAGE)).isTrue();
    Principal read = Principal.token(user(true), Map.of(), grant(TokenPermission.READ));
    assertThat(read.isAdmin()).isFalse();
    assertThat(Access.allowed(read, PRIV, Action.READ)).isTrue();
    assertThat(Access.allowed(read, PRIV, Action.WRITE)).isFalse();
    Principal scopedManage = Principal.token(user(true), Map.of(), grant(TokenPermission.MANAGE,
        new TokenGrant.Scope(PUB.id(), null)));
    assertThat(scopedManage.isAdmin()).isFalse();
    assertThat(Access.allowed(scopedManage, PUB, Action.MANAGE)).isTrue();
    assertThat(Access.allowed(scopedManage, PRIV, Action.READ)).isFalse();
  }

  @Test
  void readableKeepsTheGivenOrderAndOnlyReadableChannels() {
    Principal viewer = Principal.session(user(false), Map.of(PRIV.id(), Role.VIEWER));
    assertThat(Access.readable(Principal.ANONYMOUS, List.of(PRIV, MEMBERS, PUB)).keySet()).containsExactly(1L);
    assertThat(Access.readable(viewer, List.of(PRIV, MEMBERS, PUB)).keySet()).containsExactly(3L, 2L, 1L);
  }
}
