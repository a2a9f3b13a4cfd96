package io.wharf.server.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.server.db.Database;
import io.wharf.server.db.DuplicateKeyException;
import io.wharf.server.pkg.JdbcPackageFileRepository;
import io.wharf.server.pkg.PackageFileRepository;
import io.wharf.server.pkg.PackageFiles;
import io.wharf.server.testing.MutableClock;
import java.time.Instant;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Behaviour every ChannelRepository must show, run once per database engine. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ChannelRepositoryContract {
  private static final Instant T0 = Instant.parse("2024-05-01T10:15:30.123Z");

  private final MutableClock clock = new MutableClock(T0);
  private Database db;
  private ChannelRepository channels;
  private PackageFileRepository files;

  /** A supplier that opens the same, initially empty database on every call. */
  protected abstract Supplier<Database> database();

  @BeforeAll
  void open() {
    db = database().get();
    channels = new JdbcChannelRepository(db, clock);
    files = new JdbcPackageFileRepository(db, clock);
  }

  @AfterAll
  void close() {
    db.close();
  }

  @BeforeEach
  void empty() {
    clock.set(T0);
    db.jdbi().useHandle(h -> {
      h.execute("DELETE FROM package_files");
      h.execute("DELETE FROM channels");
    });
  }

  @Test
  void privacyAndDescriptionCanBeChanged() {
    Channel created = channels.create("mutable", "before", Privacy.PUBLIC);
    Channel changed = new Channel(created.id(), "mutable", "after", Privacy.PRIVATE, created.createdAt());

    channels.update(changed, io.wharf.server.history.Actor.SYSTEM);

    assertThat(channels.findByName("mutable")).contains(changed);
  }

  @Test
  void createdChannelCanBeFoundByName() {
    Channel created = channels.create("conda-forge", "community packages", Privacy.PUBLIC);

    assertThat(created.id()).isPositive();
    assertThat(created.name()).isEqualTo("conda-forge");
    assertThat(created.description()).isEqualTo("community packages");
    assertThat(created.privacy()).isEqualTo(Privacy.PUBLIC);
    assertThat(created.createdAt()).isEqualTo(T0);
    assertThat(channels.findByName("conda-forge")).contains(created);
  }

  @Test
  void findByNameIgnoresCase() {
    Channel created = channels.create("bioconda", "", Privacy.AUTHENTICATED);

    assertThat(channels.findByName("BioConda")).contains(created);
  }

  @Test
  void findByNameOfUnknownChannelIsEmpty() {
    channels.create("known", "", Privacy.PUBLIC);

    assertThat(channels.findByName("unknown")).isEmpty();
  }

  @Test
  void keepsPrivacyAndAbsentDescription() {
    channels.create("secret", null, Privacy.PRIVATE);

    Channel found = channels.findByName("secret").orElseThrow();
    assertThat(found.privacy()).isEqualTo(Privacy.PRIVATE);
    assertThat(found.description()).isNull();
  }

  @Test
  void rejectsDuplicateNameRegardlessOfCase() {
    Channel original = channels.create("tools", "first", Privacy.PUBLIC);

    assertThatThrownBy(() -> channels.create("tools", "second", Privacy.PRIVATE))
        .isInstanceOf(DuplicateKeyException.class);
    assertThatThrownBy(() -> channels.create("TOOLS", "third", Privacy.PRIVATE))
        .isInstanceOf(DuplicateKeyException.class);
    assertThat(channels.list()).containsExactly(original);
  }

  @Test
  void listsChannelsOrderedByNameCodePoints() {
    for (String name : new String[] {"zeta", "mid.0", "alpha", "mid-1", "Beta"}) {
      channels.create(name, "", Privacy.PUBLIC);
    }

    // Code point order on every engine, whatever the PostgreSQL server's locale.
    assertThat(channels.list()).extracting(Channel::name)
        .containsExactly("Beta", "alpha", "mid-1", "mid.0", "zeta");
  }

  @Test
  void deletingChannelRemovesItAndItsFilesOnly() {
    Channel doomed = channels.create("doomed", "", Privacy.PUBLIC);
    Channel kept = channels.create("kept", "", Privacy.PUBLIC);
    files.insert(PackageFiles.file(doomed.id(), "main", "noarch", "a-1.0-0.conda"), false);
    files.insert(PackageFiles.file(kept.id(), "main", "noarch", "a-1.0-0.conda"), false);

    assertThat(channels.delete(doomed.id())).isTrue();

    assertThat(channels.findByName("doomed")).isEmpty();
    assertThat(files.listChannel(doomed.id())).isEmpty();
    assertThat(channels.list()).containsExactly(kept);
    assertThat(files.listChannel(kept.id())).hasSize(1);
  }

  @Test
  void deletingUnknownChannelReportsNothingDeleted() {
    Channel channel = channels.create("once", "", Privacy.PUBLIC);
    channels.delete(channel.id());

    assertThat(channels.delete(channel.id())).isFalse();
  }

  @Test
  void nameOfDeletedChannelCanBeReused() {
    Channel first = channels.create("reborn", "", Privacy.PUBLIC);
    channels.delete(first.id());

    Channel second = channels.create("reborn", "", Privacy.PUBLIC);

    assertThat(second.id()).isNotEqualTo(first.id());
    assertThat(channels.findByName("reborn")).contains(second);
  }

  @Test
  void everyStoredReplacedOrDeletedFileAppendsOneChangeLogEntryAndRefusalsNone() {
    Channel a = channels.create("a", "", Privacy.PUBLIC);
    Channel b = channels.create("b", "", Privacy.PUBLIC);
    assertThat(channels.revisions()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(a.id(), 0L, b.id(), 0L));

    var inserted = files.insert(PackageFiles.file(a.id(), "main", "noarch", "x-1.0-0.conda"), false);
    var stored = inserted.file();
    long first = inserted.seq();
    assertThat(channels.revisions()).containsEntry(a.id(), 1L).containsEntry(b.id(), 0L);
    assertThat(files.insert(PackageFiles.file(a.id(), "main", "noarch", "x-1.0-0.conda"), true).seq())
        .as("a replacement is one change").isEqualTo(first + 1);
    assertThatThrownBy(() -> files.insert(PackageFiles.file(a.id(), "main", "noarch", "x-1.0-0.conda"), false))
        .isInstanceOf(DuplicateKeyException.class);

    assertThat(files.delete(stored.id())).as("already replaced").isEmpty();
    long current = files.listChannel(a.id()).get(0).id();
    assertThat(files.delete(current)).as("a refused insert and a missing row append nothing").hasValue(first + 2);
    assertThat(channels.revisions()).containsEntry(a.id(), 3L).containsEntry(b.id(), 0L);

    channels.delete(a.id());
    assertThat(channels.revisions()).containsOnlyKeys(b.id());
  }
}
