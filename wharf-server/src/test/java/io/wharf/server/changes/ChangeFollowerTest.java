package io.wharf.server.changes;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.channel.Channel;
import io.wharf.server.channel.JdbcChannelRepository;
import io.wharf.server.channel.Privacy;
import io.wharf.server.db.Database;
import io.wharf.server.events.ChannelChanged;
import io.wharf.server.events.ChannelWritten;
import io.wharf.server.events.Events;
import io.wharf.server.history.Actor;
import io.wharf.server.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's follower of the change log applies what other nodes wrote and passes over what its own node
 * wrote, for channel-level entries as for file entries.
 */
class ChangeFollowerTest {
  @TempDir Path dir;
  private Database db;
  private JdbcChangeLog log;
  private final Events events = new Events();
  private final List<Long> changed = new CopyOnWriteArrayList<>();
  private JdbcChannelRepository here;
  private JdbcChannelRepository otherNode;

  @BeforeEach
  void open() {
    db = TestDatabases.sqlite(dir).get();
    log = new JdbcChangeLog(db);
    events.subscribe(ChannelChanged.class, e -> changed.add(e.channelId()));
    here = new JdbcChannelRepository(db, Clock.systemUTC(),
        (channelId, seq) -> events.publish(new ChannelWritten(channelId, seq)));
    otherNode = new JdbcChannelRepository(db, Clock.systemUTC());
  }

  @AfterEach
  void close() {
    log.close();
    db.close();
  }

  @Test
  void thisNodesOwnChannelChangesAreNotReadBackAsAnotherNodes() {
    ChangeFollower follower = new ChangeFollower(log, events, System.currentTimeMillis());

    Channel mine = here.create("mine", "", Privacy.PUBLIC, Actor.SYSTEM);
    here.update(new Channel(mine.id(), "mine", "described", Privacy.PRIVATE, mine.createdAt()), Actor.SYSTEM);
    Channel gone = here.create("gone", "", Privacy.PUBLIC, Actor.SYSTEM);
    here.delete(gone.id(), Actor.SYSTEM);

    assertThat(follower.poll(System.currentTimeMillis())).isZero();
    assertThat(changed).isEmpty();
  }

  @Test
  void anotherNodesChannelChangesAreAppliedInOrder() {
    ChangeFollower follower = new ChangeFollower(log, events, System.currentTimeMillis());

    Channel theirs = otherNode.create("theirs", "", Privacy.PUBLIC, Actor.SYSTEM);
    here.create("mine", "", Privacy.PUBLIC, Actor.SYSTEM);
    otherNode.update(new Channel(theirs.id(), "theirs", "", Privacy.PRIVATE, theirs.createdAt()), Actor.SYSTEM);

    assertThat(follower.poll(System.currentTimeMillis())).isEqualTo(2);
    assertThat(changed).containsExactly(theirs.id(), theirs.id());
    assertThat(follower.poll(System.currentTimeMillis())).isZero();
  }
}
