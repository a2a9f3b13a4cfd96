package io.wharf.server.auth;

import io.wharf.server.history.Actor;

import io.wharf.server.channel.Channel;
import io.wharf.server.error.WharfException;
import java.util.List;

/** A channel's members and their roles; managed by the channel's owners and administrators. */
public final class MemberService {
  private final ChannelAccess channels;
  private final JdbcUsers users;
  private final UserService accounts;

  public MemberService(ChannelAccess channels, JdbcUsers users, UserService accounts) {
    this.channels = channels;
    this.users = users;
    this.accounts = accounts;
  }

  public List<JdbcUsers.Member> list(Principal who, String channel) {
    Channel c = channels.require(channel, null, who, Action.MANAGE);
    return users.members(c.id());
  }

  public JdbcUsers.Member put(Principal who, String channel, String user, String role, Actor actor) {
    Channel c = channels.require(channel, null, who, Action.MANAGE);
    Role r = Role.parse(role);
    if (r == null) {
      throw WharfException.invalid("invalid_role", "role must be viewer, curator, maintainer or owner");
    }
    User u = accounts.require(user);
    users.putMember(c.id(), u, r, actor);
    return new JdbcUsers.Member(u.name(), r, u.disabled());
  }

  public void remove(Principal who, String channel, String user, Actor actor) {
    Channel c = channels.require(channel, null, who, Action.MANAGE);
    User u = accounts.require(user);
    if (!users.removeMember(c.id(), u, actor)) {
      throw WharfException.notFound("member_not_found", "user '" + u.name() + "' is not a member of '" + c.name()
          + "'");
    }
  }
}
