package io.wharf.server.search;

import io.wharf.server.search.jdbc.JdbcSearchRepository;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.wharf.server.channel.Channel;
import io.wharf.server.channel.JdbcChannelRepository;
import io.wharf.server.channel.Privacy;
import io.wharf.server.db.Database;
import io.wharf.server.events.ChannelRemoved;
import io.wharf.server.events.Events;
import io.wharf.server.events.PackageRemoved;
import io.wharf.server.events.PackageStored;
import io.wharf.server.pkg.JdbcPackageFileRepository;
import io.wharf.server.pkg.NewPackageFile;
import io.wharf.server.pkg.PackageFile;
import io.wharf.server.pkg.PackageFiles;
import io.wharf.server.testing.MutableClock;
import io.wharf.server.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchIndexerTest {
  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

  @TempDir
  Path dir;

  private final MutableClock clock = new MutableClock(T0);
  private final Events events = new Events();
  private Database db;
  private JdbcPackageFileRepository files;
  private SearchRepository search;
  private Channel channel;

  @BeforeEach
  void open() {
    db = TestDatabases.sqlite(dir).get();
    files = new JdbcPackageFileRepository(db, clock);
    search = new JdbcSearchRepository(db);
    channel = new JdbcChannelRepository(db).create("main", "", Privacy.PUBLIC);
    // The license family a test file carries is its label, so each file can differ.
    new SearchIndexer(files, search, events, f -> f.label().equals("none") ? null : f.label());
  }

  @AfterEach
  void close() {
    db.close();
  }

  private PackageFile store(String label, String subdir, String filename, String aboutJson) {
    return store(label, subdir, filename, aboutJson, 0);
  }

  private PackageFile store(String label, String subdir, String filename, String aboutJson, long buildNumber) {
    NewPackageFile plain = PackageFiles.file(channel.id(), label, subdir, filename);
    NewPackageFile withAbout = new NewPackageFile(plain.channelId(), plain.label(), plain.subdir(), plain.filename(),
        plain.name(), plain.version(), plain.build(), buildNumber, plain.md5(), plain.sha256(), plain.size(),
        plain.blobKey(), plain.recordJson(), plain.indexJson(), aboutJson, null, null);
    var inserted = files.insert(withAbout, false);
    PackageFile stored = inserted.file();
    events.publish(new PackageStored(channel.id(), label, subdir, filename, stored.name(), inserted.seq()));
    clock.advance(Duration.ofMinutes(1));
    return stored;
  }

  private void remove(PackageFile f) {
    long seq = files.delete(f.id()).orElseThrow();
    events.publish(new PackageRemoved(f.channelId(), f.label(), f.subdir(), f.filename(), f.name(), seq));
  }

  @Test
  void storedFilesBuildOneDocumentPerNameFromTheNewestVersion() {
    store("mit", "linux-64", "numpy-1.10.0-py_0.conda", "{\"summary\":\"Newest\\nsummary\",\"description\":\"Line one\\r\\nline two\"}");
    store("bsd", "osx-arm64", "numpy-1.9.0-py_0.conda", "{\"summary\":\"Older\"}");
    store("mit", "noarch", "numpy-1.10.0rc1-py_0.tar.bz2", "{\"summary\":\"Release candidate\"}");

    SearchDocument doc = search.find(channel.id(), "numpy").orElseThrow();

    // 1.10.0 beats 1.9.0 (numeric, not text) and 1.10.0rc1 (a pre-release) under conda's VersionOrder.
    assertThat(doc.latestVersion()).isEqualTo("1.10.0");
    assertThat(doc.summary()).isEqualTo("Newest summary");
    assertThat(doc.description()).isEqualTo("Line one line two");
    assertThat(doc.subdirs()).containsExactly("linux-64", "noarch", "osx-arm64");
    assertThat(doc.licenseFamilies()).containsExactly("bsd", "mit");
    assertThat(doc.fileCount()).isEqualTo(3);
    assertThat(doc.updatedAt()).isEqualTo(T0.plus(Duration.ofMinutes(2)));
  }

  @Test
  void sameVersionIsDecidedByBuildNumberThenUploadTime() {
    store("mit", "linux-64", "zlib-1.3-h_1.conda", "{\"summary\":\"build 1\"}", 1);
    store("mit", "linux-64", "zlib-1.3-h_0.conda", "{\"summary\":\"build 0, later\"}", 0);
    assertThat(search.find(channel.id(), "zlib")).get().extracting(SearchDocument::summary).isEqualTo("build 1");

    store("mit", "osx-64", "zlib-1.3-h1_1.conda", "{\"summary\":\"build 1, latest upload\"}", 1);
    assertThat(search.find(channel.id(), "zlib")).get().extracting(SearchDocument::summary)
        .isEqualTo("build 1, latest upload");
  }

  @Test
  void missingOrBrokenAboutJsonLeavesTextEmptyAndNullFamiliesAreSkipped() {
    store("none", "noarch", "a-1.0-0.conda", null);
    store("none", "noarch", "b-1.0-0.conda", "not json");

    assertThat(search.find(channel.id(), "a")).get().satisfies(d -> {
      assertThat(d.summary()).isNull();
      assertThat(d.licenseFamilies()).isEmpty();
    });
    assertThat(search.find(channel.id(), "b")).get().extracting(SearchDocument::summary).isNull();
  }

  @Test
  void uploadedPackagesAreSearchable() {
    store("mit", "linux-64", "numpy-2.0-0.conda", "{\"summary\":\"Array computing\"}");
    store("mit", "noarch", "pynumpy-ext-1.0-0.conda", null);

    SearchPage page = search.search(new SearchQuery("numpy", Set.of(channel.id()), Optional.of("linux-64"),
        Optional.empty(), 1, 10));

    assertThat(page.hits()).extracting(SearchHit::name, SearchHit::latestVersion, SearchHit::kind)
        .containsExactly(tuple("numpy", "2.0", MatchKind.EXACT));
  }

  @Test
  void removingFilesRecomputesAndRemovingTheLastDeletes() {
    PackageFile newer = store("mit", "linux-64", "numpy-2.0-0.conda", "{\"summary\":\"Two\"}");
    PackageFile older = store("bsd", "win-64", "numpy-1.0-0.conda", "{\"summary\":\"One\"}");

    remove(newer);
    assertThat(search.find(channel.id(), "numpy")).get().satisfies(d -> {
      assertThat(d.latestVersion()).isEqualTo("1.0");
      assertThat(d.summary()).isEqualTo("One");
      assertThat(d.subdirs()).containsExactly("win-64");
      assertThat(d.licenseFamilies()).containsExactly("bsd");
      assertThat(d.fileCount()).isEqualTo(1);
    });

    remove(older);
    assertThat(search.find(channel.id(), "numpy")).isEmpty();
  }

  @Test
  void channelRemovalDropsItsDocuments() {
    store("mit", "noarch", "a-1.0-0.conda", null);

    events.publish(new ChannelRemoved(channel.id(), channel.name()));

    assertThat(search.all(Set.of(channel.id()))).isEmpty();
  }

  @Test
  void reconcileIndexesEveryChannelFromItsRowsAndDropsNamesWithoutFiles() {
    Channel other = new JdbcChannelRepository(db).create("other", "", Privacy.PUBLIC);
    files.insert(PackageFiles.file(channel.id(), "mit", "noarch", "a-1.0-0.conda"), false);
    files.insert(PackageFiles.file(channel.id(), "mit", "linux-64", "a-2.0-0.conda"), false);
    files.insert(PackageFiles.file(other.id(), "gpl", "noarch", "b-1.0-0.conda"), false);
    search.upsert(new SearchDocument(channel.id(), "gone", "1", null, null, List.of(), List.of(), 1, T0));
    SearchIndexer indexer = new SearchIndexer(files, search, new Events(), PackageFile::label);

    assertThat(indexer.reconcile(List.of(channel, other))).isEqualTo(3);

    assertThat(search.all(Set.of(channel.id(), other.id())))
        .extracting(SearchDocument::channelId, SearchDocument::name, SearchDocument::latestVersion,
            SearchDocument::fileCount)
        .containsExactly(tuple(channel.id(), "a", "2.0", 2L),
            tuple(other.id(), "b", "1.0", 1L));
  }

  @Test
  void reconcileRecomputesOnlyNamesWhoseDocumentsDisagreeWithTheirFiles() {
    store("mit", "noarch", "kept-1.0-0.conda", "{\"summary\":\"Indexed\"}");
    store("mit", "noarch", "grown-1.0-0.conda", null);
    // Rows written by a process that stopped before the indexer saw them: no events are published.
    clock.advance(Duration.ofMinutes(1));
    files.insert(PackageFiles.file(channel.id(), "bsd", "linux-64", "grown-2.0-0.conda"), false);
    files.insert(PackageFiles.file(channel.id(), "mit", "noarch", "unseen-1.0-0.conda"), false);
    search.upsert(new SearchDocument(channel.id(), "gone", "1", null, null, List.of(), List.of(), 1, T0));
    SearchDocument kept = search.find(channel.id(), "kept").orElseThrow();
    SearchIndexer indexer = new SearchIndexer(files, search, new Events(), PackageFile::label);

    assertThat(indexer.reconcile(List.of(channel))).isEqualTo(3);

    assertThat(search.all(Set.of(channel.id())))
        .extracting(SearchDocument::name, SearchDocument::latestVersion, SearchDocument::fileCount)
        .containsExactly(tuple("grown", "2.0", 2L), tuple("kept", "1.0", 1L), tuple("unseen", "1.0", 1L));
    assertThat(search.find(channel.id(), "grown")).get().extracting(SearchDocument::licenseFamilies)
        .isEqualTo(List.of("bsd", "mit"));
    assertThat(search.find(channel.id(), "kept")).contains(kept);
    assertThat(indexer.reconcile(List.of(channel))).isZero();
  }
}
