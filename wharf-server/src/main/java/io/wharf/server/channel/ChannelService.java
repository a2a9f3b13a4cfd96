package io.wharf.server.channel;

import io.wharf.server.db.DuplicateKeyException;
import io.wharf.server.error.WharfException;
import io.wharf.server.events.ChannelChanged;
import io.wharf.server.events.ChannelRemoved;
import io.wharf.server.events.Events;
import io.wharf.server.history.Actor;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Creating, finding and deleting channels. Lookups by name are cached because the conda hot path
 * resolves a channel on every request and must not touch the database to do so.
 */
public final class ChannelService {
  private final ChannelRepository channels;
  /** Rows deleted in one transaction when a channel is deleted. */
  static final int DELETE_BATCH = 500;

  private final ChannelFiles contents;
  private final int deleteBatch;
  private final Events events;
  // Only channels that exist are cached, so requests for random names cannot grow the map; keyed by
  // the lowercase name, as lookups ignore case, so /conda/PUB and /conda/pub share one entry.
  private final Map<String, Channel> byName = new ConcurrentHashMap<>();

  public ChannelService(ChannelRepository channels, ChannelFiles contents, Events events) {
    this(channels, contents, events, DELETE_BATCH);
  }

  ChannelService(ChannelRepository channels, ChannelFiles contents, Events events, int deleteBatch) {
    this.channels = channels;
    this.contents = contents;
    this.deleteBatch = deleteBatch;
    this.events = events;
    // Also published when another node deleted the channel; drop every cached name of that id.
    events.subscribe(ChannelRemoved.class, e -> byName.values().removeIf(c -> c.id() == e.channelId()));
    events.subscribe(ChannelChanged.class, e -> byName.values().removeIf(c -> c.id() == e.channelId()));
  }

  public Channel create(String name, String description, Privacy privacy) {
    return create(name, description, privacy, Actor.SYSTEM);
  }

  /** Creates the channel; its history records {@code actor} as the creator. */
  public Channel create(String name, String description, Privacy privacy, Actor actor) {
    ChannelNames.requireChannel(name);
    if (description != null && description.length() > 2000) {
      throw WharfException.invalid("invalid_description", "description is longer than 2000 characters");
    }
    try {
      Channel created = channels.create(name, description == null ? "" : description,
          privacy == null ? Privacy.PUBLIC : privacy, actor);
      byName.remove(key(name));
      return created;
    } catch (DuplicateKeyException e) {
      throw WharfException.conflict("channel_exists", "channel '" + name + "' already exists");
    }
  }

  public List<Channel> list() {
    return channels.list();
  }

  public Optional<Channel> find(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String key = key(name);
    Channel cached = byName.get(key);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<Channel> found = channels.findByName(name);
    found.ifPresent(c -> byName.put(key, c));
    return found;
  }

  /**
   * The channel when it is in the cache, else empty, without ever reading the database: for callers that
   * must not wait (Jetty's selector thread), which hand a miss to a thread that may call {@link #find}.
   */
  public Optional<Channel> cached(String name) {
    return name == null ? Optional.empty() : Optional.ofNullable(byName.get(key(name)));
  }

  private static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  public Channel require(String name) {
    return find(name).orElseThrow(() -> WharfException.notFound("channel_not_found",
        "channel '" + name + "' does not exist"));
  }

  /** Changes privacy and/or description (null keeps it); every node drops its cached copy. */
  public Channel update(Channel channel, Privacy privacy, String description) {
    return update(channel, privacy, description, Actor.SYSTEM);
  }

  /** As above; a change of privacy is recorded in the history as {@code actor}'s. */
  public Channel update(Channel channel, Privacy privacy, String description, Actor actor) {
    if (description != null && description.length() > 2000) {
      throw WharfException.invalid("invalid_description", "description is longer than 2000 characters");
    }
    Channel updated = new Channel(channel.id(), channel.name(),
        description == null ? channel.description() : description,
        privacy == null ? channel.privacy() : privacy, channel.createdAt());
    channels.update(updated, actor);
    byName.values().removeIf(c -> c.id() == channel.id());
    return updated;
  }

  /**
   * Deletes the files a batch at a time, then the channel. Until the last batch the channel stays and
   * serves what is left (each batch raises its revision, so every node drops what it derived from the
   * deleted rows); a delete that stops half way can simply be run again.
   */
  public void delete(String name) {
    delete(name, Actor.SYSTEM);
  }

  /** As {@link #delete(String)}, recording {@code actor} in the history the channel leaves behind. */
  public void delete(String name, Actor actor) {
    Channel channel = require(name);
    // Rows go a batch per transaction, however large the channel. Blobs are shared by content across
    // channels: each batch marks the ones no other row uses, and the blob sweeper removes them after a
    // grace period.
    while (contents.deleteBatch(channel.id(), deleteBatch) > 0) {
      // next batch
    }
    channels.delete(channel.id(), actor);
    byName.remove(key(name));
    events.publish(new ChannelRemoved(channel.id(), name));
  }
}
