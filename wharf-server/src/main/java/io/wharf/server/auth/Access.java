package io.wharf.server.auth;

import io.wharf.server.channel.Channel;
import io.wharf.server.channel.Privacy;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one permission rule. A caller may do something to a channel when its user may (administrator,
 * or a role that grants it; reading also follows the channel's privacy) and, for a token, when the
 * token's permission and scope allow it too: a token's rights are the intersection of both.
 */
public final class Access {
  private Access() {}

  public static boolean allowed(Principal who, Channel channel, Action action) {
    return allowed(who, channel, null, action);
  }

  /** @param label the subchannel acted on, or null for the channel as a whole */
  public static boolean allowed(Principal who, Channel channel, String label, Action action) {
    if (action == Action.READ && openToRead(who, channel)) {
      return true;
    }
    if (who.isAnonymous()) {
      return false;
    }
    boolean userMay = who.ownerIsAdmin() || who.role(channel.id()).map(r -> r.grants(action)).orElse(false);
    return userMay && who.token().map(t -> t.allows(channel.id(), label, action)).orElse(true);
  }

  /** Public channels are read by anyone; authenticated ones by any user signed in or any valid token. */
  private static boolean openToRead(Principal who, Channel channel) {
    return channel.privacy() == Privacy.PUBLIC
        || (channel.privacy() == Privacy.AUTHENTICATED && who.isAuthenticated());
  }

  /** The channels among these the caller may read, by id, in the given order: for lists, search and counts. */
  public static Map<Long, Channel> readable(Principal who, Collection<Channel> channels) {
    Map<Long, Channel> out = new LinkedHashMap<>();
    for (Channel c : channels) {
      if (allowed(who, c, Action.READ)) {
        out.put(c.id(), c);
      }
    }
    return out;
  }
}
