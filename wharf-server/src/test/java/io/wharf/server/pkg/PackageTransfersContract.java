package io.wharf.server.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.server.channel.Channel;
import io.wharf.server.channel.ChannelLocation;
import io.wharf.server.channel.ChannelService;
import io.wharf.server.channel.JdbcChannelRepository;
import io.wharf.server.channel.Privacy;
import io.wharf.server.db.Database;
import io.wharf.server.error.WharfException;
import io.wharf.server.events.Events;
import io.wharf.server.events.FileBatch;
import io.wharf.server.history.Actor;
import io.wharf.server.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** What one copy, move or remove request writes, and that it writes all of it or nothing; once per engine. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PackageTransfersContract {
  private static final Instant T0 = Instant.parse("2025-03-01T08:00:00Z");
  private static final Actor ACTOR = new Actor("admin", "192.0.2.10");

  private final MutableClock clock = new MutableClock(T0);
  private final List<Object> events = new CopyOnWriteArrayList<>();
  private Database db;
  private JdbcPackageFileRepository files;
  private ChannelService channels;
  private PackageTransfers transfers;
  private Channel a;
  private Channel b;

  protected abstract Supplier<Database> database();

  /** Makes every insert of a package file row named {@code filename} fail, as a database error would. */
  protected abstract void failInsertsOf(Database db, String filename);

  protected abstract void stopFailingInserts(Database db);

  @BeforeAll
  void open() {
    db = database().get();
    files = new JdbcPackageFileRepository(db, clock);
    Events bus = new Events();
    bus.subscribe(Object.class, events::add);
    channels = new ChannelService(new JdbcChannelRepository(db, clock), (id, limit) -> 0, bus);
    transfers = new PackageTransfers(channels, db, bus, clock);
  }

  @AfterAll
  void close() {
    db.close();
  }

  @BeforeEach
  void freshChannels() {
    db.jdbi().useHandle(h -> {
      h.execute("DELETE FROM package_files");
      h.execute("DELETE FROM channels");
      h.execute("DELETE FROM blob_garbage");
      h.execute("DELETE FROM channel_history");
    });
    a = channels.create("src-" + System.nanoTime(), "", Privacy.PUBLIC);
    b = channels.create("dst-" + System.nanoTime(), "", Privacy.PUBLIC);
    events.clear();
  }

  private ChannelLocation at(Channel c) {
    return new ChannelLocation(c.name(), "main");
  }

  /** Everything a transfer may write, to compare before and after. */
  private Map<String, Object> state() {
    return db.jdbi().withHandle(h -> Map.of(
        "rows", h.createQuery("SELECT channel_id, label, subdir, filename, id FROM package_files"
            + " ORDER BY channel_id, label, subdir, filename").mapToMap().list(),
        "dependencies", h.createQuery("SELECT COUNT(*) FROM package_dependencies").mapTo(Long.class).one(),
        "changes", h.createQuery("SELECT COUNT(*) FROM change_log").mapTo(Long.class).one(),
        "history", h.createQuery("SELECT COUNT(*) FROM channel_history").mapTo(Long.class).one(),
        "garbage", h.createQuery("SELECT blob_key FROM blob_garbage ORDER BY blob_key").mapTo(String.class).list(),
        "revisions", h.createQuery("SELECT id, revision FROM channels ORDER BY id").mapToMap().list()));
  }

  @Test
  void aMoveThatFailsHalfwayChangesNothing() {
    for (String f : List.of("x-1.0-0.conda", "y-1.0-0.conda", "z-1.0-0.conda")) {
      files.insert(PackageFiles.file(a.id(), "main", "noarch", f), false);
    }
    Map<String, Object> before = state();
    events.clear();
    // the source rows are deleted and x and y inserted before z's insert fails
    failInsertsOf(db, "z-1.0-0.conda");
    try {
      assertThatThrownBy(() -> transfers.move(at(a), at(b), List.of("x", "y", "z"), OnCollision.FAIL, false, ACTOR))
          .satisfies(e -> assertThat(messages(e)).contains("injected failure"));
    } finally {
      stopFailingInserts(db);
    }

    assertThat(state()).isEqualTo(before);
    assertThat(events).as("nothing to publish").isEmpty();

    PackageTransfers.Outcome moved = transfers.move(at(a), at(b), List.of("x", "y", "z"), OnCollision.FAIL, false,
        ACTOR);
    assertThat(moved.result().files()).extracting(TransferResult.FileResult::result)
        .containsExactly("moved", "moved", "moved");
    assertThat(files.listChannel(a.id())).isEmpty();
    assertThat(files.listChannel(b.id())).extracting(PackageFile::filename)
        .containsExactly("x-1.0-0.conda", "y-1.0-0.conda", "z-1.0-0.conda");
  }

  @Test
  void aCopyKeepsThePatchedRecordAndEveryStoredPartAndSharesTheBlob() {
    NewPackageFile real = PackageFiles.realZlib(a.id());
    // a mirror stores repodata patches in the record, which then differs from index.json
    ObjectNode patched = (ObjectNode) io.wharf.server.pkg.StoredJson.parse(real.recordJson());
    patched.putArray("depends").add("libgcc-ng >=7.2.0,<8");
    NewPackageFile stored = new NewPackageFile(real.channelId(), real.label(), real.subdir(), real.filename(),
        real.name(), real.version(), real.build(), real.buildNumber(), real.md5(), real.sha256(), real.size(),
        real.blobKey(), patched.toString(), real.indexJson(), real.aboutJson(), real.runExportsJson(),
        real.pathsFlagsJson());
    PackageFile original = files.insert(stored, false).file();
    clock.advance(Duration.ofHours(5));

    transfers.copy(at(a), new ChannelLocation(b.name(), "dev"), List.of("zlib=1.2.11"), OnCollision.FAIL, false,
        ACTOR);

    PackageFile copy = files.find(b.id(), "dev", "linux-64", real.filename()).orElseThrow();
    assertThat(copy.recordJson()).isEqualTo(patched.toString());
    assertThat(copy).usingRecursiveComparison().ignoringFields("id", "channelId", "label").isEqualTo(original);
    assertThat(copy.blobKey()).isEqualTo(original.blobKey());
    assertThat(dependencyCount(b.id())).as("its dependency rows come along")
        .isEqualTo(dependencyCount(a.id())).isGreaterThan(0);
  }

  @Test
  void aCopyOfARowKnownByItsRecordAloneStoresThatRecordOnceToo() {
    NewPackageFile real = PackageFiles.realZlib(a.id());
    files.insert(new NewPackageFile(real.channelId(), real.label(), real.subdir(), real.filename(), real.name(),
        real.version(), real.build(), real.buildNumber(), real.md5(), real.sha256(), real.size(), real.blobKey(),
        real.recordJson(), PackageFile.INDEX_FROM_RECORD, null, null, null), false);

    transfers.copy(at(a), at(b), List.of("zlib"), OnCollision.FAIL, false, ACTOR);

    PackageFile copy = files.find(b.id(), "main", "linux-64", real.filename()).orElseThrow();
    assertThat(copy.indexJson()).isEqualTo(PackageFile.INDEX_FROM_RECORD);
    assertThat(copy.indexDocument().has("sha256")).isFalse();
    assertThat(copy.indexDocument().path("name").asText()).isEqualTo("zlib");
  }

  @Test
  void oneRequestIsOneEventWithEveryChangeAndOneHistoryEntryPerChannel() {
    for (String f : List.of("p-1.0-0.conda", "p-2.0-0.conda", "q-1.0-0.tar.bz2")) {
      files.insert(PackageFiles.file(a.id(), "main", "noarch", f), false);
    }
    events.clear();

    PackageTransfers.Outcome done = transfers.move(at(a), at(b), List.of("p", "q-1.0-0.tar.bz2"), OnCollision.FAIL,
        false, ACTOR);

    assertThat(events).hasSize(1);
    FileBatch batch = (FileBatch) events.get(0);
    assertThat(batch.stored()).hasSize(3).allSatisfy(e -> assertThat(e.channelId()).isEqualTo(b.id()));
    assertThat(batch.removed()).hasSize(3).allSatisfy(e -> assertThat(e.channelId()).isEqualTo(a.id()));
    assertThat(done.seqs()).as("one change-log entry per channel location and name").hasSize(4);
    assertThat(historyOf(a.id())).containsExactly("channel_create", "upload", "upload", "upload", "move");
    assertThat(historyOf(b.id())).containsExactly("channel_create", "move");
  }

  @Test
  void aDryRunSaysWhatWouldHappenAndChangesNothing() {
    files.insert(PackageFiles.file(a.id(), "main", "noarch", "d-1.0-0.conda"), false);
    files.insert(PackageFiles.file(b.id(), "main", "noarch", "d-1.0-0.conda"), false);
    Map<String, Object> before = state();
    events.clear();

    PackageTransfers.Outcome plan = transfers.move(at(a), at(b), List.of("d"), OnCollision.REPLACE, true, ACTOR);

    assertThat(plan.result().dryRun()).isTrue();
    assertThat(plan.result().files()).extracting(TransferResult.FileResult::result).containsExactly("replaced");
    assertThat(state()).isEqualTo(before);
    assertThat(events).isEmpty();
  }

  @Test
  void removeMarksABlobOnlyOnceNoOtherRowUsesIt() {
    PackageFile x = files.insert(PackageFiles.file(a.id(), "main", "noarch", "x-1.0-0.conda"), false).file();
    transfers.copy(at(a), at(b), List.of("x"), OnCollision.FAIL, false, ACTOR);

    transfers.remove(at(a), List.of("noarch/x-1.0-0.conda"), false, ACTOR);
    assertThat(garbage()).as("the copy still uses the blob").doesNotContain(x.blobKey());

    transfers.remove(at(b), List.of("x-1.0-0.conda"), false, ACTOR);
    assertThat(garbage()).containsExactly(x.blobKey());
  }

  @Test
  void unmatchedItemsAreNamedAndCollisionsListed() {
    files.insert(PackageFiles.file(a.id(), "main", "noarch", "c-1.0-0.conda"), false);
    files.insert(PackageFiles.file(b.id(), "main", "noarch", "c-1.0-0.conda"), false);
    Map<String, Object> before = state();

    assertThatThrownBy(() -> transfers.copy(at(a), at(b), List.of("c", "nope", "c=2.0"), OnCollision.FAIL, false,
        ACTOR)).isInstanceOfSatisfying(WharfException.class, e -> {
          assertThat(e.kind()).isEqualTo(WharfException.Kind.NOT_FOUND);
          assertThat(e.details()).containsEntry("items", List.of("nope", "c=2.0"));
        });
    assertThatThrownBy(() -> transfers.copy(at(a), at(b), List.of("c"), OnCollision.FAIL, false, ACTOR))
        .isInstanceOfSatisfying(WharfException.class, e -> {
          assertThat(e.kind()).isEqualTo(WharfException.Kind.CONFLICT);
          assertThat(e.details()).containsEntry("collisions",
              List.of(Map.of("subdir", "noarch", "filename", "c-1.0-0.conda")));
        });
    assertThat(state()).isEqualTo(before);
  }

  private long dependencyCount(long channelId) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM package_dependencies WHERE channel_id = :c")
        .bind("c", channelId).mapTo(Long.class).one());
  }

  private List<String> historyOf(long channelId) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT action FROM channel_history WHERE channel_id = :c ORDER BY id")
        .bind("c", channelId).mapTo(String.class).list());
  }

  private List<String> garbage() {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT blob_key FROM blob_garbage").mapTo(String.class).list());
  }

  private static String messages(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      sb.append(t.getMessage()).append('\n');
    }
    return sb.toString();
  }
}
