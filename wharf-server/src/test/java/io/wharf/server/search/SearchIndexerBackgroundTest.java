package io.wharf.server.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.channel.Channel;
import io.wharf.server.channel.JdbcChannelRepository;
import io.wharf.server.channel.Privacy;
import io.wharf.server.db.Database;
import io.wharf.server.events.Events;
import io.wharf.server.events.FileBatch;
import io.wharf.server.events.PackageStored;
import io.wharf.server.pkg.JdbcPackageFileRepository;
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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bulk writers' batches are indexed on the indexing thread: the writer goes on while fewer than the bound
 * wait, waits when more would, and whoever ends a bulk operation can wait until its batches are indexed.
 * The indexing thread is held at a gate (its first read of the package files) to observe each state.
 */
class SearchIndexerBackgroundTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  private final Events events = new Events();
  private final Set<String> readingThreads = ConcurrentHashMap.newKeySet();
  private final Semaphore atGate = new Semaphore(0);
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private volatile CountDownLatch gate = new CountDownLatch(0);
  private volatile Thread indexingThread;
  private Database db;
  private JdbcPackageFileRepository files;
  private SearchRepository search;
  private SearchIndexer indexer;
  private Channel channel;
  private final AtomicInteger serial = new AtomicInteger();

  @BeforeEach
  void open() {
    db = TestDatabases.sqlite(dir).get();
    files = new JdbcPackageFileRepository(db, new MutableClock(Instant.parse("2024-05-01T10:00:00Z")));
    search = new JdbcSearchRepository(db);
    channel = new JdbcChannelRepository(db).create("main", "", Privacy.PUBLIC);
    indexer = new SearchIndexer(gated(files), search, events, f -> null, 4);
  }

  @AfterEach
  void close() {
    gate.countDown();
    indexer.close();
    db.close();
  }

  /**
   * The repository as the indexer sees it: calls are noted by thread, wait at the gate while it is closed,
   * and fail while {@link #failuresLeft} says so.
   */
  private PackageFileRepository gated(PackageFileRepository real) {
    return (PackageFileRepository) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {PackageFileRepository.class}, (proxy, method, args) -> {
          readingThreads.add(Thread.currentThread().getName());
          if (Thread.currentThread().getName().equals(SearchIndexer.THREAD)) {
            indexingThread = Thread.currentThread();
          }
          if (gate.getCount() > 0) {
            atGate.release();
            assertThat(gate.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
          }
          if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("database unavailable");
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  /** Stores new files of {@code name} in one transaction and publishes them as one batch, as storeAll does. */
  private void batch(String name, int count) {
    List<PackageStored> stored = new ArrayList<>();
    List<io.wharf.server.pkg.NewPackageFile> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rows.add(PackageFiles.file(channel.id(), "main", "linux-64", name + "-1." + serial.incrementAndGet() + "-0.conda"));
    }
    for (PackageFileRepository.Inserted in : files.insertAll(rows)) {
      PackageFile f = in.file();
      stored.add(new PackageStored(f.channelId(), f.label(), f.subdir(), f.filename(), f.name(), in.seq()));
    }
    events.publish(new FileBatch(stored, List.of()));
  }

  /** Holds the indexing thread at its next read of the files and waits until it is there. */
  private void holdIndexingThread(Runnable firstBatch) throws InterruptedException {
    gate = new CountDownLatch(1);
    firstBatch.run();
    assertThat(atGate.tryAcquire(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("the indexing thread took the batch")
        .isTrue();
  }

  private static void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(end);
      Thread.sleep(5);
    }
  }

  private void assertInStep(String... names) {
    for (String name : names) {
      assertThat(search.find(channel.id(), name)).as(name).isPresent();
      assertThat(indexer.inStep(channel.id(), name)).as(name).isTrue();
    }
  }

  @Test
  void bulkBatchesAreIndexedOnTheIndexingThreadWhileTheWriterGoesOn() throws Exception {
    holdIndexingThread(() -> batch("alpha", 3));

    // four more batches fit in the queue: the writer is not held while the index is busy with the first
    CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
      for (String name : List.of("beta", "gamma", "delta", "epsilon")) {
        batch(name, 2);
      }
    });
    writer.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    assertThat(indexer.queuedBatches()).isEqualTo(4);
    assertThat(search.find(channel.id(), "alpha")).as("not indexed while the thread is held").isEmpty();
    assertThat(search.find(channel.id(), "epsilon")).isEmpty();

    gate.countDown();
    assertThat(indexer.awaitIdle(DEADLINE)).isTrue();
    assertThat(readingThreads).containsExactly(SearchIndexer.THREAD);
    assertInStep("alpha", "beta", "gamma", "delta", "epsilon");
  }

  @Test
  void aWriterFurtherAheadThanTheBoundWaitsUntilTheIndexTakesTheQueuedBatches() throws Exception {
    holdIndexingThread(() -> batch("alpha", 1));
    for (String name : List.of("beta", "gamma", "delta", "epsilon")) {
      batch(name, 1);
    }
    CompletableFuture<Boolean> sixth = new CompletableFuture<>();
    Thread writer = new Thread(() -> {
      batch("zeta", 1);
      sixth.complete(Thread.currentThread().isInterrupted());
    }, "writer");
    writer.start();

    waitUntil(() -> writer.getState() == Thread.State.WAITING, "the writer waits for room in the queue");
    assertThat(sixth).isNotDone();
    assertThat(indexer.queuedBatches()).isEqualTo(4);
    // an interrupt does not let a committed batch past the bound nor lose it: the writer waits on
    writer.interrupt();
    // the flag is cleared when the wait is interrupted, and set again only once the batch is queued
    waitUntil(() -> !writer.isInterrupted() && writer.getState() == Thread.State.WAITING,
        "the interrupted writer waits again");
    assertThat(sixth).isNotDone();
    assertThat(indexer.queuedBatches()).isEqualTo(4);

    gate.countDown();
    assertThat(sixth.get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("the interrupt is kept for the writer").isTrue();
    assertThat(indexer.awaitIdle(DEADLINE)).isTrue();
    assertInStep("alpha", "beta", "gamma", "delta", "epsilon", "zeta");
  }

  @Test
  void awaitIdleReturnsOnceEveryBatchPublishedBeforeItIsIndexed() throws Exception {
    holdIndexingThread(() -> batch("alpha", 2));
    batch("beta", 2);
    batch("gamma", 2);
    assertThat(indexer.awaitIdle(Duration.ofMillis(20))).as("still held").isFalse();

    CompletableFuture<List<Boolean>> seen = new CompletableFuture<>();
    Thread waiter = new Thread(() -> {
      boolean idle = indexer.awaitIdle(DEADLINE);
      // what a caller finds the moment the wait returns
      seen.complete(List.of(idle, indexer.inStep(channel.id(), "alpha"), indexer.inStep(channel.id(), "beta"),
          indexer.inStep(channel.id(), "gamma")));
    }, "waiter");
    waiter.start();
    waitUntil(() -> waiter.getState() == Thread.State.TIMED_WAITING, "the waiter waits");
    assertThat(seen).isNotDone();

    gate.countDown();
    assertThat(seen.get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).containsExactly(true, true, true, true);
  }

  @Test
  void aBatchThatFailsOnceIsRecomputedAndOneThatKeepsFailingIsLeftToTheReconcileAtStart() throws Exception {
    failuresLeft.set(1);
    batch("alpha", 2);
    assertThat(indexer.awaitIdle(DEADLINE)).isTrue();
    assertInStep("alpha");
    assertThat(indexer.failedBatches()).isZero();

    failuresLeft.set(1000);
    batch("beta", 2);
    assertThat(indexer.awaitIdle(DEADLINE)).as("a failed batch does not hold up the waiters").isTrue();
    assertThat(indexer.failedBatches()).isEqualTo(1);
    assertThat(search.find(channel.id(), "beta")).isEmpty();

    failuresLeft.set(0);
    assertThat(indexer.reconcile(List.of(channel))).isEqualTo(1);
    assertInStep("alpha", "beta");
  }

  @Test
  void closingDropsTheWaitingBatchesEndsTheThreadAndTheReconcileAtTheNextStartIndexesThem() throws Exception {
    holdIndexingThread(() -> batch("alpha", 2));
    batch("beta", 2);
    batch("gamma", 2);

    indexer.close(Duration.ZERO);
    batch("delta", 2); // published after the stop: not held up, not indexed
    gate.countDown();
    waitUntil(() -> !indexingThread.isAlive(), "the indexing thread ends");
    assertThat(search.find(channel.id(), "beta")).isEmpty();
    assertThat(search.find(channel.id(), "delta")).isEmpty();

    SearchIndexer next = new SearchIndexer(files, search, new Events(), f -> null);
    assertThat(next.reconcile(List.of(channel))).isEqualTo(3);
    assertInStep("alpha", "beta", "gamma", "delta");
  }
}
