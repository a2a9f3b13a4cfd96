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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bulk writers' batches, indexed in the background, race single uploads and deletes of the same names,
 * indexed on their own threads: whatever the interleaving, once the queue is idle every document is what a
 * recomputation from the rows gives.
 */
class SearchIndexerRaceTest {
  private static final String[] NAMES = {"pkg0", "pkg1", "pkg2", "pkg3"};
  private static final String[] VERSIONS = {"1.0", "1.0.0", "1.1", "1.1a1", "2.0", "0.9"};
  private static final String[] SUBDIRS = {"linux-64", "noarch", "osx-arm64"};
  private static final String[] LABELS = {"mit", "bsd", "none"};
  private static final int ROUNDS = 30;

  @TempDir
  Path dir;

  private final MutableClock clock = new MutableClock(Instant.parse("2024-05-01T10:00:00Z"));
  private final Events events = new Events();
  private final AtomicInteger serial = new AtomicInteger();
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
    // one batch may wait: the bulk writers also meet back-pressure
    indexer = new SearchIndexer(files, search, events, f -> f.label().equals("none") ? null : f.label(), 1);
  }

  @AfterEach
  void close() {
    indexer.close();
    db.close();
  }

  private NewPackageFile file(Random random) {
    String name = NAMES[random.nextInt(NAMES.length)];
    NewPackageFile p = PackageFiles.file(channel.id(), LABELS[random.nextInt(LABELS.length)],
        SUBDIRS[random.nextInt(SUBDIRS.length)],
        name + "-" + VERSIONS[random.nextInt(VERSIONS.length)] + "-b" + serial.incrementAndGet() + ".conda");
    return new NewPackageFile(p.channelId(), p.label(), p.subdir(), p.filename(), p.name(), p.version(), p.build(),
        random.nextInt(3), p.md5(), p.sha256(), p.size(), p.blobKey(), p.recordJson(), p.indexJson(),
        random.nextBoolean() ? null : "{\"summary\":\"summary " + serial.get() + "\"}", null, null);
  }

  private static PackageStored stored(PackageFileRepository.Inserted in) {
    PackageFile f = in.file();
    return new PackageStored(f.channelId(), f.label(), f.subdir(), f.filename(), f.name(), in.seq());
  }

  /** A file of some name, picked at random, or null when the name has none. */
  private PackageFile anyFile(Random random) {
    List<PackageFile> named = files.listByName(channel.id(), NAMES[random.nextInt(NAMES.length)]);
    return named.isEmpty() ? null : named.get(random.nextInt(named.size()));
  }

  /** An import's or mirror run's batch, or now and then a transfer's that also removes a file. */
  private void bulkWriter(Random random) {
    for (int round = 0; round < ROUNDS; round++) {
      List<NewPackageFile> rows = new ArrayList<>();
      for (int i = random.nextInt(5) + 1; i > 0; i--) {
        rows.add(file(random));
      }
      List<PackageStored> stored = new ArrayList<>();
      files.insertAll(rows).forEach(in -> stored.add(stored(in)));
      List<PackageRemoved> removed = new ArrayList<>();
      PackageFile gone = random.nextInt(4) == 0 ? anyFile(random) : null;
      if (gone != null) {
        OptionalLong seq = files.delete(gone.id());
        if (seq.isPresent()) {
          removed.add(new PackageRemoved(gone.channelId(), gone.label(), gone.subdir(), gone.filename(), gone.name(),
              seq.getAsLong()));
        }
      }
      events.publish(new FileBatch(stored, removed));
    }
  }

  /** Single uploads and deletes, as requests make them, indexed on this thread. */
  private void singleWriter(Random random) {
    for (int round = 0; round < ROUNDS; round++) {
      if (random.nextInt(3) == 0) {
        PackageFile gone = anyFile(random);
        OptionalLong seq = gone == null ? OptionalLong.empty() : files.delete(gone.id());
        if (seq.isPresent()) {
          events.publish(new PackageRemoved(gone.channelId(), gone.label(), gone.subdir(), gone.filename(),
              gone.name(), seq.getAsLong()));
        }
      } else {
        events.publish(stored(files.insert(file(random), false)));
      }
      if (random.nextInt(4) == 0) {
        clock.advance(Duration.ofSeconds(1));
      }
    }
  }

  @Test
  void backgroundBatchesRacingSingleUploadsAndDeletesEndWithDocumentsEqualToARecomputation() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> writers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      Random random = new Random(20261202L + w);
      boolean bulk = w % 2 == 0;
      writers.add(pool.submit(() -> {
        go.await();
        if (bulk) {
          bulkWriter(random);
        } else {
          singleWriter(random);
        }
        return null;
      }));
    }
    go.countDown();
    for (Future<?> w : writers) {
      w.get(120, TimeUnit.SECONDS);
    }
    pool.shutdown();

    assertThat(indexer.awaitIdle(Duration.ofSeconds(60))).isTrue();
    assertThat(indexer.failedBatches()).isZero();
    for (String name : NAMES) {
      List<PackageFile> rows = files.listByName(channel.id(), name);
      if (rows.isEmpty()) {
        assertThat(search.find(channel.id(), name)).as(name).isEmpty();
      } else {
        assertThat(search.find(channel.id(), name)).as(name)
            .hasValue(SearchDocuments.of(rows, f -> f.label().equals("none") ? null : f.label()));
      }
    }
  }
}
