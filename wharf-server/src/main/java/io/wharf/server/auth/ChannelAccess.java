package io.wharf.server.auth;

import io.wharf.server.channel.Channel;
import io.wharf.server.channel.ChannelService;
import io.wharf.server.error.WharfException;
import java.util.Map;
import java.util.Optional;

/**
 * Channels as a caller sees them. A channel the caller may not read is indistinguishable from one that
 * does not exist, on every route: an anonymous caller gets 401 (so conda and the CLI say a token may
 * help) and one who is signed in gets 404, with the same body for both kinds of channel. A caller who
 * may read a channel but not do the action gets 403 (401 when anonymous).
 */
public final class ChannelAccess {
  private final ChannelService channels;

  public ChannelAccess(ChannelService channels) {
    this.channels = channels;
  }

  public ChannelService channels() {
    return channels;
  }

  /** The channel if the caller may read it (as a whole), else the refusal a missing channel gets. */
  public Channel readable(String name, Principal who) {
    return readable(name, null, who);
  }

  /** The channel if the caller may read it, or this label of it. */
  public Channel readable(String name, String label, Principal who) {
    Optional<Channel> c = channels.find(name);
    if (c.isEmpty() || !Access.allowed(who, c.get(), label, Action.READ)) {
      throw hidden(name, who);
    }
    return c.get();
  }

  /** The channel if the caller may do this action to it (label null: the channel as a whole). */
  public Channel require(String name, String label, Principal who, Action action) {
    Channel c = readable(name, label, who);
    if (!Access.allowed(who, c, label, action)) {
      if (who.isAnonymous()) {
        throw WharfException.unauthorized("this action needs a token; pass it as 'Authorization: Bearer <token>'");
      }
      throw WharfException.forbidden("you may not " + verb(action) + " channel '" + c.name() + "'");
    }
    return c;
  }

  public Map<Long, Channel> readableChannels(Principal who) {
    return Access.readable(who, channels.list());
  }

  /**
   * What a caller is told about a channel it may not read, whether or not the channel exists. The
   * answer does not even repeat the name, so a private channel and a missing one answer byte for byte
   * the same.
   */
  public static WharfException hidden(String name, Principal who) {
    if (who.isAnonymous()) {
      return WharfException.unauthorized("no such channel, or it needs a token: use"
          + " https://<host>/t/<token>/conda/<channel> or an Authorization header");
    }
    return WharfException.notFound("channel_not_found", "no such channel");
  }

  private static String verb(Action action) {
    return switch (action) {
      case READ -> "read";
      case WRITE -> "change the files of";
      case MANAGE -> "manage";
      case CURATE -> "curate the CVEs of";
    };
  }
}
