package io.wharf.server.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.channel.Channel;
import io.wharf.server.channel.JdbcChannelRepository;
import io.wharf.server.channel.Privacy;
import io.wharf.server.db.Database;
import io.wharf.server.events.Events;
import io.wharf.server.events.FileBatch;
import io.wharf.server.events.PackageRemoved;
import io.wharf.server.events.PackageStored;
import io.wharf.server.pkg.JdbcPackageFileRepository;
import io.wharf.server.pkg.NewPackageFile;
import io.wharf.server.pkg.PackageFile;
import io.wharf.server.pkg.PackageFileRepository;
import io.wharf.server.pkg.PackageFiles;
import io.wharf.server.search.jdbc.JdbcSearchRepository;
import io.wharf.server.testing.MutableClock;
import io.wharf.server.testing.TestDatabases;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The search index after file batches (imports, mirror runs, transfers). */
class SearchIndexerBatchTest {
  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

  @TempDir
  Path dir;

  private final MutableClock clock = new MutableClock(T0);
  private final Events events = new Events();
  private final AtomicInteger fullReads = new AtomicInteger();
  private Database db;
  private JdbcPackageFileRepository files;
  private SearchRepository search;
  private SearchIndexer indexer;
  private Channel channel;

  @BeforeEach
  void open() {
    db = TestDatabases.sqlite(dir).get();
    files = new JdbcPackageFileRepository(db, clock);
    search = new JdbcSearchRepository(db);
    channel = new JdbcChannelRepository(db).create("main", "", Privacy.PUBLIC);
    // The license family a test file carries is its label, so each file can differ.
    indexer = new SearchIndexer(countingFullReads(files), search, events, f -> f.label().equals("none") ? null : f.label());
  }

  @AfterEach
  void close() {
    indexer.close();
    db.close();
  }

  /** Publishes a batch as a writer does and waits, as the end of a bulk operation does, until it is indexed. */
  private void publish(FileBatch batch) {
    events.publish(batch);
    assertThat(indexer.awaitIdle(Duration.ofSeconds(30))).isTrue();
  }

  /** The repository, counting the calls that read every file of a name. */
  private PackageFileRepository countingFullReads(PackageFileRepository real) {
    return (PackageFileRepository) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {PackageFileRepository.class}, (proxy, method, args) -> {
          if (method.getName().equals("listByName") || method.getName().equals("listByNames")) {
            fullReads.incrementAndGet();
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  private NewPackageFile file(String label, String subdir, String filename, long buildNumber, String summary) {
    NewPackageFile p = PackageFiles.file(channel.id(), label, subdir, filename);
    return new NewPackageFile(p.channelId(), p.label(), p.subdir(), p.filename(), p.name(), p.version(), p.build(),
        buildNumber, p.md5(), p.sha256(), p.size(), p.blobKey(), p.recordJson(), p.indexJson(),
        summary == null ? null : "{\"summary\":\"" + summary + "\"}", null, null);
  }

  /** Stores the files in one transaction and announces them as one batch, as an import does. */
  private List<PackageFile> batch(NewPackageFile... rows) {
    List<PackageStored> stored = new ArrayList<>();
    List<PackageFile> out = new ArrayList<>();
    for (PackageFileRepository.Inserted i : files.insertAll(List.of(rows))) {
      PackageFile f = i.file();
      out.add(f);
      stored.add(new PackageStored(f.channelId(), f.label(), f.subdir(), f.filename(), f.name(), i.seq()));
    }
    publish(new FileBatch(stored, List.of()));
    return out;
  }

  private SearchDocument doc(String name) {
    return search.find(channel.id(), name).orElseThrow();
  }

  @Test
  void aBatchOfNewFilesIsFoldedIntoTheDocumentWithoutReadingTheNamesOtherFiles() {
    batch(file("mit", "linux-64", "numpy-1.9.0-py_0.conda", 0, "Older"),
        file("bsd", "linux-64", "numpy-1.10.0-py_0.conda", 0, "Newest"));
    int reads = fullReads.get();

    clock.advance(Duration.ofMinutes(1));
    batch(file("apache", "osx-arm64", "numpy-1.8.0-py_0.conda", 0, "Oldest"),
        file("mit", "noarch", "numpy-1.10.0rc1-py_0.conda", 0, "Release candidate"));

    assertThat(fullReads.get()).isEqualTo(reads);
    SearchDocument doc = doc("numpy");
    assertThat(doc.latestVersion()).isEqualTo("1.10.0");
    assertThat(doc.summary()).isEqualTo("Newest");
    assertThat(doc.subdirs()).containsExactly("linux-64", "noarch", "osx-arm64");
    assertThat(doc.licenseFamilies()).containsExactly("apache", "bsd", "mit");
    assertThat(doc.fileCount()).isEqualTo(4);
    assertThat(doc.updatedAt()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
    assertThat(indexer.inStep(channel.id(), "numpy")).isTrue();
  }

  @Test
  void aNewerVersionInABatchTakesOverTheTexts() {
    batch(file("mit", "linux-64", "numpy-1.9.0-py_0.conda", 0, "Old"));
    batch(file("mit", "linux-64", "numpy-2.0.0-py_0.conda", 0, "New"));

    assertThat(doc("numpy").latestVersion()).isEqualTo("2.0.0");
    assertThat(doc("numpy").summary()).isEqualTo("New");
    assertThat(indexer.inStep(channel.id(), "numpy")).isTrue();
  }

  @Test
  void theSameVersionInABatchIsDecidedByBuildNumberUploadAndLocationAsAFullRecomputationWould() {
    batch(file("mit", "linux-64", "zlib-1.3-h_1.conda", 1, "build 1"));
    batch(file("mit", "linux-64", "zlib-1.3-h_0.conda", 0, "build 0, later"));
    assertThat(doc("zlib").summary()).isEqualTo("build 1");

    clock.advance(Duration.ofMinutes(1));
    batch(file("mit", "osx-64", "zlib-1.3-h1_1.conda", 1, "build 1, later upload"));
    assertThat(doc("zlib").summary()).isEqualTo("build 1, later upload");

    // same build number, same upload: the first by label, subdir, filename, whichever batch it came in
    batch(file("mit", "linux-64", "zlib-1.3-h2_1.conda", 1, "same upload, first location"));
    assertThat(doc("zlib").summary()).isEqualTo("same upload, first location");
    batch(file("mit", "win-64", "zlib-1.3-h3_1.conda", 1, "same upload, last location"));
    assertThat(doc("zlib").summary()).isEqualTo("same upload, first location");
    // versions spelled differently that sort equal (CEP 33 pads with zeros)
    clock.advance(Duration.ofMinutes(1));
    batch(file("mit", "linux-64", "zlib-1.3.0-h4_1.conda", 1, "1.3.0, later upload"));
    assertThat(doc("zlib").summary()).isEqualTo("1.3.0, later upload");
    assertThat(doc("zlib").latestVersion()).isEqualTo("1.3.0");
    batch(file("mit", "linux-64", "zlib-1.3-h0_1.conda", 1, "1.3, same upload, first location"));
    assertThat(doc("zlib").summary()).isEqualTo("1.3, same upload, first location");
    assertThat(doc("zlib").latestVersion()).isEqualTo("1.3");
    assertThat(indexer.inStep(channel.id(), "zlib")).isTrue();
  }

  @Test
  void filesTheIndexHasNotSeenAreCountedInByARecomputation() {
    batch(file("mit", "linux-64", "numpy-1.0-0.conda", 0, "One"));
    // stored by a writer whose event has not been handled yet
    files.insert(file("gpl", "win-64", "numpy-3.0-0.conda", 0, "Three"), false);

    batch(file("mit", "linux-64", "numpy-2.0-0.conda", 0, "Two"));

    assertThat(doc("numpy").fileCount()).isEqualTo(3);
    assertThat(doc("numpy").summary()).isEqualTo("Three");
    assertThat(doc("numpy").licenseFamilies()).containsExactly("gpl", "mit");
    assertThat(indexer.inStep(channel.id(), "numpy")).isTrue();
  }

  @Test
  void aBatchAnnouncedTwiceIsNotCountedTwice() {
    batch(file("mit", "linux-64", "numpy-1.0-0.conda", 0, "One"));
    PackageFile f = files.insertAll(List.of(file("mit", "linux-64", "numpy-2.0-0.conda", 0, "Two"))).get(0).file();
    PackageStored stored = new PackageStored(f.channelId(), f.label(), f.subdir(), f.filename(), f.name(), 1);

    publish(new FileBatch(List.of(stored), List.of()));
    publish(new FileBatch(List.of(stored), List.of()));

    assertThat(doc("numpy").fileCount()).isEqualTo(2);
    assertThat(indexer.inStep(channel.id(), "numpy")).isTrue();
  }

  @Test
  void aBatchThatRemovesFilesRecomputesTheirNames() {
    List<PackageFile> first = batch(file("mit", "linux-64", "numpy-2.0-0.conda", 0, "Two"),
        file("bsd", "linux-64", "numpy-1.0-0.conda", 0, "One"));
    PackageFile gone = first.get(0);
    long seq = files.delete(gone.id()).orElseThrow();
    PackageFile added = files.insertAll(List.of(file("gpl", "noarch", "numpy-1.5-0.conda", 0, "One and a half")))
        .get(0).file();

    publish(new FileBatch(
        List.of(new PackageStored(added.channelId(), added.label(), added.subdir(), added.filename(), added.name(), seq + 1)),
        List.of(new PackageRemoved(gone.channelId(), gone.label(), gone.subdir(), gone.filename(), gone.name(), seq))));

    assertThat(doc("numpy").latestVersion()).isEqualTo("1.5");
    assertThat(doc("numpy").licenseFamilies()).containsExactly("bsd", "gpl");
    assertThat(doc("numpy").fileCount()).isEqualTo(2);
  }

  @Test
  void manyRandomBatchesGiveWhatARecomputationFromAllFilesGives() {
    Random random = new Random(20261202);
    String[] versions = {"1.0", "1.0.0", "1.1", "1.1a1", "2.0", "0.9"};
    String[] subdirs = {"linux-64", "noarch", "osx-arm64"};
    String[] labels = {"mit", "bsd", "none"};
    int serial = 0;
    for (int b = 0; b < 40; b++) {
      List<NewPackageFile> rows = new ArrayList<>();
      for (int i = random.nextInt(6) + 1; i > 0; i--) {
        String name = "pkg" + random.nextInt(3);
        String version = versions[random.nextInt(versions.length)];
        rows.add(file(labels[random.nextInt(labels.length)], subdirs[random.nextInt(subdirs.length)],
            name + "-" + version + "-b" + (serial++) + ".conda", random.nextInt(3),
            random.nextBoolean() ? null : "summary " + serial));
      }
      if (random.nextBoolean()) {
        clock.advance(Duration.ofSeconds(1));
      }
      batch(rows.toArray(NewPackageFile[]::new));
      for (String name : List.of("pkg0", "pkg1", "pkg2")) {
        if (!files.listByName(channel.id(), name).isEmpty()) {
          assertThat(indexer.inStep(channel.id(), name)).as("%s after batch %d", name, b).isTrue();
        }
      }
    }
  }
}
