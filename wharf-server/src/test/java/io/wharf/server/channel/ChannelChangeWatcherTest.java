package io.wharf.server.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.db.Database;
import io.wharf.server.events.ChannelChanged;
import io.wharf.server.events.ChannelRemoved;
import io.wharf.server.events.Events;
import io.wharf.server.pkg.JdbcPackageFileRepository;
import io.wharf.server.pkg.PackageFiles;
import io.wharf.server.testing.TestDatabases;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChannelChangeWatcherTest {
  @TempDir
  Path dir;

  private Database db;
  private JdbcChannelRepository channels;
  private JdbcPackageFileRepository files;
  private final Events events = new Events();
  private final List<Object> seen = new ArrayList<>();

  @BeforeEach
  void open() {
    db = TestDatabases.sqlite(dir).get();
    channels = new JdbcChannelRepository(db);
    files = new JdbcPackageFileRepository(db);
    events.subscribe(Object.class, seen::add);
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void publishesChangedForMovedRevisionsAndRemovedForVanishedChannels() {
    Channel kept = channels.create("kept", "", Privacy.PUBLIC);
    Channel busy = channels.create("busy", "", Privacy.PUBLIC);
    Channel doomed = channels.create("doomed", "", Privacy.PUBLIC);
    ChannelChangeWatcher watcher = new ChannelChangeWatcher(channels, events);

    assertThat(watcher.check()).isZero();
    files.insert(PackageFiles.file(busy.id(), "main", "noarch", "a-1.0-0.conda"), false);
    files.insert(PackageFiles.file(busy.id(), "main", "linux-64", "b-1.0-0.conda"), false);
    channels.delete(doomed.id());
    Channel added = channels.create("added", "", Privacy.PUBLIC);

    assertThat(watcher.check()).isEqualTo(3);
    // A channel new since the last check counts as changed: this node may have cached it already.
    assertThat(seen).containsExactlyInAnyOrder(new ChannelChanged(busy.id()), new ChannelRemoved(doomed.id(), null),
        new ChannelChanged(added.id()));

    seen.clear();
    files.insert(PackageFiles.file(added.id(), "main", "noarch", "c-1.0-0.conda"), false);
    assertThat(watcher.check()).isEqualTo(1);
    assertThat(seen).containsExactly(new ChannelChanged(added.id()));
    assertThat(watcher.check()).isZero();
    assertThat(kept.id()).isNotIn(seen.stream().map(e -> ((ChannelChanged) e).channelId()).toList());
  }

  @Test
  void aRemovedChannelLeavesTheNameCacheOfTheChannelService() {
    Channel c = channels.create("shared", "", Privacy.PUBLIC);
    ChannelService service = new ChannelService(channels, (id, limit) -> List.of(), null, events);
    assertThat(service.find("shared")).contains(c);
    ChannelChangeWatcher watcher = new ChannelChangeWatcher(channels, events);

    // Another node deletes it and makes a private channel of the same name.
    channels.delete(c.id());
    Channel again = channels.create("shared", "", Privacy.PRIVATE);
    assertThat(service.find("shared")).as("still cached before the check").contains(c);

    watcher.check();
    assertThat(service.find("shared")).contains(again);
  }

  @Test
  void changesThisProcessAnnouncedItselfNeedNoSecondEventButForeignOnesInBetweenDo() {
    Channel c = channels.create("mixed", "", Privacy.PUBLIC);
    ChannelChangeWatcher watcher = new ChannelChangeWatcher(channels, events);
    seen.clear();

    // Two local writes, announced as the upload and delete services do.
    var first = files.insert(PackageFiles.file(c.id(), "main", "noarch", "a-1.0-0.conda"), false);
    events.publish(new io.wharf.server.events.PackageStored(c.id(), "main", "noarch", "a-1.0-0.conda",
        first.revision()));
    long removed = files.delete(first.file().id()).orElseThrow();
    events.publish(new io.wharf.server.events.PackageRemoved(c.id(), "main", "noarch", "a-1.0-0.conda", removed));
    seen.clear();
    assertThat(watcher.check()).as("only local changes").isZero();
    assertThat(seen).isEmpty();

    // A local write, then one by another process (no local event), then a local one again.
    var mine = files.insert(PackageFiles.file(c.id(), "main", "noarch", "b-1.0-0.conda"), false);
    events.publish(new io.wharf.server.events.PackageStored(c.id(), "main", "noarch", "b-1.0-0.conda",
        mine.revision()));
    files.insert(PackageFiles.file(c.id(), "main", "linux-64", "c-1.0-0.conda"), false);
    var mineAgain = files.insert(PackageFiles.file(c.id(), "main", "noarch", "d-1.0-0.conda"), false);
    events.publish(new io.wharf.server.events.PackageStored(c.id(), "main", "noarch", "d-1.0-0.conda",
        mineAgain.revision()));
    seen.clear();
    assertThat(watcher.check()).isEqualTo(1);
    assertThat(seen).containsExactly(new ChannelChanged(c.id()));

    // A local event that arrives only after a check already read its revision changes nothing later.
    var late = files.insert(PackageFiles.file(c.id(), "main", "noarch", "e-1.0-0.conda"), false);
    seen.clear();
    assertThat(watcher.check()).as("not yet announced: treated as foreign").isEqualTo(1);
    events.publish(new io.wharf.server.events.PackageStored(c.id(), "main", "noarch", "e-1.0-0.conda",
        late.revision()));
    seen.clear();
    assertThat(watcher.check()).isZero();
    assertThat(seen).isEmpty();
  }

  @Test
  void aNodeDoesNotRepublishForItsOwnChangesButDoesForAnotherNodes() {
    Channel c = channels.create("served", "", Privacy.PUBLIC);
    var index = new io.wharf.server.index.IndexService(files, events, java.time.Clock.systemUTC());
    ChannelChangeWatcher watcher = new ChannelChangeWatcher(channels, events);

    var mine = files.insert(PackageFiles.file(c.id(), "main", "noarch", "a-1.0-0.conda"), false);
    events.publish(new io.wharf.server.events.PackageStored(c.id(), "main", "noarch", "a-1.0-0.conda",
        mine.revision()));
    var published = index.subdir(c, "main", "noarch").orElseThrow();
    watcher.check();
    assertThat(index.subdir(c, "main", "noarch").orElseThrow()).as("not rebuilt").isSameAs(published);

    files.insert(PackageFiles.file(c.id(), "main", "noarch", "b-1.0-0.conda"), false); // another node
    assertThat(index.subdir(c, "main", "noarch").orElseThrow()).as("not yet noticed").isSameAs(published);
    watcher.check();
    var again = index.subdir(c, "main", "noarch").orElseThrow();
    assertThat(again).isNotSameAs(published);
    assertThat(again.file("b-1.0-0.conda")).isPresent();
  }
}
