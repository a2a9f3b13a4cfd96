package io.wharf.server.pkg;

import static io.wharf.server.pkg.PackageFiles.file;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.channel.Channel;
import io.wharf.server.channel.JdbcChannelRepository;
import io.wharf.server.channel.Privacy;
import io.wharf.server.db.Database;
import io.wharf.server.events.Events;
import io.wharf.server.events.PackageStored;
import io.wharf.server.events.FileBatch;
import io.wharf.server.storage.fs.FileSystemBlobStore;
import io.wharf.server.testing.TestDatabases;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PackageStore#storeAll}: blobs and rows of a batch, and what happens when a location is taken. */
class PackageStoreBatchTest {
  @TempDir Path dir;

  @Test
  void aLocationTakenBetweenTheLookupAndTheCommitIsSettledFileByFile() throws Exception {
    try (Database db = TestDatabases.sqlite(dir.resolve("db")).get();
         FileSystemBlobStore blobs = new FileSystemBlobStore(dir.resolve("blobs"))) {
      JdbcPackageFileRepository real = new JdbcPackageFileRepository(db);
      Channel channel = new JdbcChannelRepository(db).create("race", "", Privacy.PUBLIC);
      NewPackageFile a = file(channel.id(), "main", "noarch", "a-1.0-0.conda");
      NewPackageFile b = file(channel.id(), "main", "noarch", "b-1.0-0.conda");
      NewPackageFile rivalB = file(channel.id(), "main", "noarch", "b-1.0-0.conda");
      NewPackageFile rival = new NewPackageFile(rivalB.channelId(), "main", "noarch", rivalB.filename(),
          rivalB.name(), rivalB.version(), rivalB.build(), 0, rivalB.md5(), "f".repeat(64), rivalB.size(),
          "sha256/ff/" + "f".repeat(64), rivalB.recordJson(), rivalB.indexJson(), null, null, null);
      // another writer stores b after storeAll looked, just before its batch commits
      PackageFileRepository racing = (PackageFileRepository) Proxy.newProxyInstance(getClass().getClassLoader(),
          new Class<?>[] {PackageFileRepository.class}, (proxy, method, args) -> {
            if (method.getName().equals("insertAll")) {
              real.insert(rival, false);
            }
            try {
              return method.invoke(real, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          });
      Events events = new Events();
      List<FileBatch> published = new ArrayList<>();
      events.subscribe(FileBatch.class, published::add);
      PackageStore store = new PackageStore(racing, blobs, events);
      db.jdbi().useHandle(h -> h.execute("CREATE TABLE alongside_probe (position INTEGER NOT NULL)"));

      List<PackageStore.Result> results = store.storeAll(channel, List.of(
          new PackageStore.Item(a, io.wharf.server.storage.BlobSource.of(Files.writeString(dir.resolve("a"), "a"))),
          new PackageStore.Item(b, io.wharf.server.storage.BlobSource.of("b".getBytes(java.nio.charset.StandardCharsets.UTF_8)))),
          io.wharf.server.history.Actor.SYSTEM, probe());

      // the batch's transaction was refused, so the rows alongside follow once the files are settled
      assertThat(probed(db)).containsExactly(0);

      assertThat(results).extracting(PackageStore.Result::fate)
          .containsExactly(PackageStore.Fate.STORED, PackageStore.Fate.DIFFERS);
      assertThat(results.get(1).existingSha256()).isEqualTo("f".repeat(64));
      assertThat(real.find(channel.id(), "main", "noarch", "b-1.0-0.conda").orElseThrow().sha256())
          .isEqualTo("f".repeat(64));
      assertThat(published).hasSize(1);
      assertThat(published.get(0).stored()).extracting(PackageStored::filename).containsExactly("a-1.0-0.conda");
      assertThat(blobs.size(PackageStore.blobKey(a.sha256()))).contains(1L);
    }
  }

  /** Notes the positions it is told in the transaction it is given. */
  private static PackageStore.Alongside probe() {
    return landed -> h -> landed.forEach(i -> h.execute("INSERT INTO alongside_probe (position) VALUES (?)", i));
  }

  private static List<Integer> probed(Database db) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT position FROM alongside_probe ORDER BY position")
        .mapTo(Integer.class).list());
  }

  @Test
  void rowsAlongsideABatchCommitWithItAndNameTheFilesThatEndInTheChannel() throws Exception {
    try (Database db = TestDatabases.sqlite(dir.resolve("db")).get();
         FileSystemBlobStore blobs = new FileSystemBlobStore(dir.resolve("blobs"))) {
      JdbcPackageFileRepository files = new JdbcPackageFileRepository(db);
      Channel channel = new JdbcChannelRepository(db).create("along", "", Privacy.PUBLIC);
      PackageStore store = new PackageStore(files, blobs, new Events());
      db.jdbi().useHandle(h -> h.execute("CREATE TABLE alongside_probe (position INTEGER NOT NULL)"));
      NewPackageFile present = file(channel.id(), "main", "noarch", "p-1.0-0.conda");
      NewPackageFile taken = file(channel.id(), "main", "noarch", "t-1.0-0.conda");
      store.storeAll(channel, List.of(new PackageStore.Item(present, null), new PackageStore.Item(taken, null)));
      NewPackageFile other = new NewPackageFile(taken.channelId(), "main", "noarch", taken.filename(), taken.name(),
          taken.version(), taken.build(), 0, taken.md5(), "e".repeat(64), taken.size(), "sha256/ee/" + "e".repeat(64),
          taken.recordJson(), taken.indexJson(), null, null, null);
      NewPackageFile fresh = file(channel.id(), "main", "noarch", "n-1.0-0.conda");

      List<PackageStore.Result> results = store.storeAll(channel, List.of(new PackageStore.Item(other, null),
          new PackageStore.Item(fresh, null), new PackageStore.Item(present, null)),
          io.wharf.server.history.Actor.SYSTEM, probe());

      assertThat(results).extracting(PackageStore.Result::fate).containsExactly(PackageStore.Fate.DIFFERS,
          PackageStore.Fate.STORED, PackageStore.Fate.PRESENT);
      assertThat(probed(db)).containsExactly(1, 2);
    }
  }

  @Test
  void aBatchWhoseRowsAlongsideFailIsNotRecordedAtAll() throws Exception {
    try (Database db = TestDatabases.sqlite(dir.resolve("db")).get();
         FileSystemBlobStore blobs = new FileSystemBlobStore(dir.resolve("blobs"))) {
      JdbcPackageFileRepository files = new JdbcPackageFileRepository(db);
      Channel channel = new JdbcChannelRepository(db).create("fails", "", Privacy.PUBLIC);
      Events events = new Events();
      List<FileBatch> published = new ArrayList<>();
      events.subscribe(FileBatch.class, published::add);
      PackageStore store = new PackageStore(files, blobs, events);
      NewPackageFile a = file(channel.id(), "main", "noarch", "a-1.0-0.conda");

      org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.storeAll(channel,
          List.of(new PackageStore.Item(a, null)), io.wharf.server.history.Actor.SYSTEM,
          landed -> h -> h.execute("INSERT INTO no_such_table VALUES (1)"))).isInstanceOf(RuntimeException.class);

      assertThat(files.find(channel.id(), "main", "noarch", "a-1.0-0.conda")).isEmpty();
      assertThat(published).isEmpty();
    }
  }
}
