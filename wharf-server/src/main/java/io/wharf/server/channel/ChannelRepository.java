package io.wharf.server.channel;

import io.wharf.server.db.DuplicateKeyException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

public interface ChannelRepository {
  /** @throws DuplicateKeyException when a channel of that name exists, compared without regard to case */
  Channel create(String name, String description, Privacy privacy);

  /** Finds a channel by name, compared without regard to case. */
  Optional<Channel> findByName(String name);

  /** All channels, ordered by name. */
  List<Channel> list();

  /**
   * Every channel's id and revision, a counter raised by every change to its files; one cheap query
   * that lets each node notice what other nodes changed.
   */
  Map<Long, Long> revisions();

  /** Stores the channel's description and privacy, and notes the change for the other nodes. */
  void update(Channel channel);

  /** Deletes the channel and its package file rows; false when no such channel existed. */
  boolean delete(long id);
}
