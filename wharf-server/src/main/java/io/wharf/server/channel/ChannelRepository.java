package io.wharf.server.channel;

import io.wharf.server.db.DuplicateKeyException;
import io.wharf.server.history.Actor;
import java.util.List;
import java.util.Map;
import java.util.Optional;

public interface ChannelRepository {
  /**
   * Creates the channel and records its creation in the channel's history.
   *
   * @throws DuplicateKeyException when a channel of that name exists, compared without regard to case
   */
  Channel create(String name, String description, Privacy privacy, Actor actor);

  default Channel create(String name, String description, Privacy privacy) {
    return create(name, description, privacy, Actor.SYSTEM);
  }


  /** Finds a channel by name, compared without regard to case. */
  Optional<Channel> findByName(String name);

  /** All channels, ordered by name. */
  List<Channel> list();

  /**
   * Every channel's id and revision, a counter raised by every change to its files; one cheap query
   * that lets each node notice what other nodes changed.
   */
  Map<Long, Long> revisions();

  /**
   * Stores the channel's description and privacy, and notes the change for the other nodes; a change of
   * privacy is recorded in the channel's history as {@code actor}'s.
   */
  void update(Channel channel, Actor actor);

  /**
   * Deletes the channel and its package file rows; false when no such channel existed. The deletion is
   * recorded in the channel's history, which stays (see {@code channel_history}).
   */
  boolean delete(long id, Actor actor);

  default boolean delete(long id) {
    return delete(id, Actor.SYSTEM);
  }
}
