package io.wharf.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.wharf.server.db.Database;
import io.wharf.server.error.WharfException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Jobs and leases against one engine. Each "node" is its own connection pool and runner on the same
 * database, as two Wharf processes would be.
 */
abstract class JobRunnerContract {
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final JobRunner.Timing FAST = new JobRunner.Timing(2_000, 50);

  private final List<AutoCloseable> open = new ArrayList<>();
  private Supplier<Database> target;

  /** A supplier that opens the same, initially empty database on every call. */
  protected abstract Supplier<Database> database();

  @BeforeEach
  void chooseTarget() {
    target = database();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private Database lastDatabase;

  private JdbcJobs node() {
    Database db = target.get();
    open.add(db);
    lastDatabase = db;
    return new JdbcJobs(db);
  }

  private JobRunner runner(JdbcJobs store, JobHandler... handlers) {
    JobRunner r = new JobRunner(store, Clock.systemUTC(), FAST, 2);
    for (JobHandler h : handlers) {
      r.handle(h);
    }
    open.add(r);
    return r.start();
  }

  private static long queue(JdbcJobs store, String kind) throws IOException {
    return store.insert(kind, JsonNodeFactory.instance.objectNode(), "admin", null, System.currentTimeMillis(), null);
  }

  private static JobHandler handler(String kind, JobWork work) {
    return new JobHandler() {
      @Override
      public String kind() {
        return kind;
      }

      @Override
      public Map<String, Object> run(JobContext job) throws Exception {
        return work.run(job);
      }
    };
  }

  interface JobWork {
    Map<String, Object> run(JobContext job) throws Exception;
  }

  private static Job awaitFinished(JdbcJobs store, long id) {
    awaitTrue(() -> store.find(id).orElseThrow().state().finished(), "job " + id + " finishes");
    return store.find(id).orElseThrow();
  }

  private static void awaitTrue(BooleanSupplier condition, String what) {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited %s for: %s", DEADLINE, what).isLessThan(end);
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Test
  void aRunningJobKeepsItsLeaseWhileOtherTransactionsKeepTheDatabaseBusy() throws Exception {
    JdbcJobs store = node();
    Database db = lastDatabase;
    long id = queue(store, "busy");
    java.util.concurrent.atomic.AtomicLong leastLeft = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
    java.util.concurrent.atomic.AtomicBoolean busy = new java.util.concurrent.atomic.AtomicBoolean(true);
    // Other threads of this node write in back-to-back transactions, as a mirror run storing batches while
    // the publisher and the search indexer write theirs: one of them always waits for the write lock.
    List<Thread> writers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      writers.add(new Thread(() -> {
        while (busy.get()) {
          db.jdbi().useTransaction(h -> {
            h.execute("INSERT INTO settings (name, value) VALUES ('busy', '1') ON CONFLICT (name)"
                + " DO UPDATE SET value = excluded.value");
            try {
              Thread.sleep(100);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
        }
      }));
    }
    runner(store, handler("busy", job -> {
      writers.forEach(Thread::start);
      long end = System.nanoTime() + Duration.ofMillis(3 * FAST.leaseMillis()).toNanos();
      while (System.nanoTime() < end) {
        long until = db.jdbi().withHandle(h -> h.createQuery("SELECT lease_until FROM jobs WHERE id = :id")
            .bind("id", job.id()).mapTo(Long.class).one());
        leastLeft.accumulateAndGet(until - System.currentTimeMillis(), Math::min);
        Thread.sleep(50);
      }
      return Map.of("done", true);
    }));

    Job done;
    try {
      done = awaitFinished(store, id);
    } finally {
      busy.set(false);
    }
    for (Thread w : writers) {
      w.join(DEADLINE.toMillis());
    }
    assertThat(done.state()).as(done.toString()).isEqualTo(JobState.SUCCEEDED);
    assertThat(done.attempt()).isEqualTo(1);
    assertThat(leastLeft.get()).as("time left on the lease, at its lowest").isPositive();
  }

  @Test
  void eachJobRunsExactlyOnceWhenTwoNodesCompeteForThem() throws Exception {
    JdbcJobs first = node();
    JdbcJobs second = node();
    Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();
    Set<String> nodes = ConcurrentHashMap.newKeySet();
    JobWork count = job -> {
      runs.computeIfAbsent(job.id(), id -> new AtomicInteger()).incrementAndGet();
      Thread.sleep(20);
      return Map.of("ran", job.id());
    };
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      ids.add(queue(i % 2 == 0 ? first : second, "count"));
    }

    runner(first, handler("count", count));
    runner(second, handler("count", count));

    for (long id : ids) {
      Job done = awaitFinished(first, id);
      assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
      assertThat(done.attempt()).isEqualTo(1);
      assertThat(done.result().path("ran").asLong()).isEqualTo(id);
      nodes.add(done.node());
    }
    assertThat(runs.keySet()).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(runs.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    assertThat(nodes).hasSize(2);
  }

  @Test
  void aJobWhoseNodeStoppedRenewingIsTakenOverWhenItsLeaseRunsOutAndCompletes() throws Exception {
    JdbcJobs crashed = node();
    JdbcJobs survivor = node();
    long id = queue(crashed, "finish");
    JdbcJobs.Lease dead = crashed.claim(Set.of("finish"), "crashed-node", System.currentTimeMillis(), 300, 3)
        .orElseThrow();
    assertThat(crashed.find(id).orElseThrow().state()).isEqualTo(JobState.RUNNING);
    AtomicInteger runs = new AtomicInteger();

    JobRunner runner = runner(survivor, handler("finish", job -> {
      runs.incrementAndGet();
      return Map.of("done", true);
    }));

    Job done = awaitFinished(survivor, id);
    assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(done.attempt()).isEqualTo(2);
    assertThat(done.node()).isEqualTo(runner.node());
    assertThat(runs.get()).isEqualTo(1);
    // The node that lost its lease can neither renew it nor overwrite the outcome.
    JobContext.Snapshot stale = new JobContext.Snapshot("late", Map.of());
    assertThat(crashed.renew(dead, System.currentTimeMillis() + 60_000, stale)).isFalse();
    assertThat(crashed.finish(dead, JobState.FAILED, stale, null, "late", "late", System.currentTimeMillis()))
        .isFalse();
    assertThat(survivor.find(id).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
  }

  @Test
  void aLiveLeaseIsNotTakenAndAJobLosingItsLeaseStopsWorking() throws Exception {
    JdbcJobs store = node();
    long id = queue(store, "other-kind");
    JdbcJobs.Lease held = store.claim(Set.of("other-kind"), "node-a", System.currentTimeMillis(), 60_000, 3)
        .orElseThrow();
    assertThat(store.claim(Set.of("other-kind"), "node-b", System.currentTimeMillis(), 60_000, 3)).isEmpty();

    // A runner whose job's lease is taken over (here: forced to expire and claimed by hand) is told to stop.
    long other = queue(store, "long");
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    runner(store, handler("long", job -> {
      started.countDown();
      try {
        while (true) {
          job.add("ticks", 1);
          Thread.sleep(10);
        }
      } catch (LeaseLostException e) {
        stopped.countDown();
        throw e;
      }
    }));
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
    // What a claim after the lease ran out does, in one statement so that no renewal slips in between.
    lastDatabase.jdbi().useHandle(h -> h.execute("UPDATE jobs SET lease_owner = 'thief', attempt = attempt + 1,"
        + " lease_until = ? WHERE id = ?", System.currentTimeMillis() + 60_000, other));
    assertThat(stopped.await(30, TimeUnit.SECONDS)).isTrue();
    Job taken = store.find(other).orElseThrow();
    assertThat(taken.node()).isEqualTo("thief");
    assertThat(taken.attempt()).isEqualTo(2);
    assertThat(taken.state()).isEqualTo(JobState.RUNNING);
    assertThat(store.find(id).orElseThrow().node()).isEqualTo(held.owner());
  }

  @Test
  void progressIsStoredAndReadableWhileTheJobRuns() throws Exception {
    JdbcJobs store = node();
    JdbcJobs reader = node();
    CountDownLatch release = new CountDownLatch(1);
    long id = queue(store, "slow");
    runner(store, handler("slow", job -> {
      job.phase("reading");
      job.set("read", 5);
      job.add("added", 3);
      release.await();
      job.phase("matching");
      job.set("matched", 7);
      return Map.of("read", 5);
    }));

    awaitTrue(() -> {
      Job j = reader.find(id).orElseThrow();
      return "reading".equals(j.phase()) && Long.valueOf(5).equals(j.progress().get("read"));
    }, "progress of the running job is written");
    Job running = reader.find(id).orElseThrow();
    assertThat(running.state()).isEqualTo(JobState.RUNNING);
    assertThat(running.progress()).containsEntry("added", 3L);
    assertThat(running.startedAt()).isNotNull();
    assertThat(running.finishedAt()).isNull();
    release.countDown();

    Job done = awaitFinished(reader, id);
    assertThat(done.phase()).isEqualTo("matching");
    assertThat(done.progress()).containsEntry("read", 5L).containsEntry("added", 3L).containsEntry("matched", 7L);
    assertThat(done.finishedAt()).isAfterOrEqualTo(done.startedAt());
  }

  @Test
  void aFailedJobKeepsItsErrorCodeAndMessage() throws Exception {
    JdbcJobs store = node();
    long refused = queue(store, "refuse");
    long broken = queue(store, "break");
    runner(store, handler("refuse", job -> {
      throw WharfException.invalid("bad_record", "x.json is not an OSV record");
    }), handler("break", job -> {
      throw new IOException("disk gone");
    }));

    Job r = awaitFinished(store, refused);
    assertThat(r.state()).isEqualTo(JobState.FAILED);
    assertThat(r.errorCode()).isEqualTo("bad_record");
    assertThat(r.errorMessage()).isEqualTo("x.json is not an OSV record");
    Job b = awaitFinished(store, broken);
    assertThat(b.errorCode()).isEqualTo("job_failed");
    assertThat(b.errorMessage()).isEqualTo("disk gone");
  }

  @Test
  void aStoppingNodeGivesItsJobBackAndAnotherNodeFinishesIt() throws Exception {
    JdbcJobs first = node();
    JdbcJobs second = node();
    long id = queue(first, "resume");
    CountDownLatch started = new CountDownLatch(1);
    JobRunner stopping = runner(first, handler("resume", job -> {
      job.set("step", 1);
      started.countDown();
      while (true) {
        job.check();
        Thread.sleep(10);
      }
    }));
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

    stopping.close();

    Job back = first.find(id).orElseThrow();
    assertThat(back.state()).isEqualTo(JobState.QUEUED);
    assertThat(back.progress()).containsEntry("step", 1L);
    runner(second, handler("resume", job -> Map.of("resumed_at", job.snapshot().counters().get("step"))));
    Job done = awaitFinished(second, id);
    assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(done.attempt()).isEqualTo(2);
    assertThat(done.result().path("resumed_at").asLong()).isEqualTo(1);
  }

  @Test
  void aJobWhoseNodesKeepDyingIsFailedAfterThreeAttempts() throws Exception {
    JdbcJobs store = node();
    long id = queue(store, "poison");
    for (int i = 0; i < JobRunner.MAX_ATTEMPTS; i++) {
      assertThat(store.claim(Set.of("poison"), "dies-" + i, System.currentTimeMillis(), 1, 3)).isPresent();
      Thread.sleep(5);
    }

    assertThat(store.claim(Set.of("poison"), "next", System.currentTimeMillis(), 1, 3)).isEmpty();

    Job j = store.find(id).orElseThrow();
    assertThat(j.state()).isEqualTo(JobState.FAILED);
    assertThat(j.errorCode()).isEqualTo("abandoned");
  }

  @Test
  void aJobsInputIsReadBackWholeByAnyNode() throws Exception {
    JdbcJobs writer = node();
    JdbcJobs reader = node();
    byte[] input = new byte[JdbcJobs.CHUNK_BYTES * 2 + 12345];
    for (int i = 0; i < input.length; i++) {
      input[i] = (byte) (i * 31 + i / 7);
    }
    long id = writer.insert("input", JsonNodeFactory.instance.objectNode(), "admin", null,
        System.currentTimeMillis(), new ByteArrayInputStream(input));

    assertThat(reader.openInput(id).readAllBytes()).isEqualTo(input);
    assertThat(reader.openInput(id + 1000).readAllBytes()).isEmpty();
    assertThat(new String(reader.openInput(id).readNBytes(0), StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void aSingletonKeyAdmitsOneQueuedOrRunningJobAtATime() throws Exception {
    JdbcJobs store = node();
    long first = store.insert("once", JsonNodeFactory.instance.objectNode(), "admin", null, System.currentTimeMillis(),
        null, "mirror-run:1");
    RuntimeException refused = null;
    try {
      store.insert("once", JsonNodeFactory.instance.objectNode(), "admin", null, System.currentTimeMillis(), null,
          "mirror-run:1");
    } catch (RuntimeException e) {
      refused = e;
    }
    assertThat(refused).as("a second job with the key while the first is queued").isNotNull();
    assertThat(io.wharf.server.db.DuplicateKeyException.isUniqueViolation(refused)).isTrue();
    assertThat(store.holder("mirror-run:1")).map(Job::id).contains(first);
    assertThat(queue(store, "once")).as("jobs without a key are not limited").isPositive();

    runner(store, handler("once", job -> Map.of()));
    awaitFinished(store, first);
    assertThat(store.holder("mirror-run:1")).isEmpty();
    long next = store.insert("once", JsonNodeFactory.instance.objectNode(), "admin", null, System.currentTimeMillis(),
        null, "mirror-run:1");
    assertThat(next).isGreaterThan(first);
  }

  @Test
  void aNodeClaimingANewerAttemptOfAJobItStillRunsStopsTheOlderAndKeepsTheNewerLeased() throws Exception {
    JdbcJobs store = node();
    AtomicInteger calls = new AtomicInteger();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch olderStopped = new CountDownLatch(1);
    JobWork work = job -> {
      if (calls.incrementAndGet() == 1) {
        started.countDown();
        try {
          while (true) { // a long step that checks now and then
            job.check();
            Thread.sleep(20);
          }
        } catch (LeaseLostException e) {
          olderStopped.countDown();
          throw e;
        }
      }
      // the newer attempt outlives several leases: only renewals keep it from being claimed again
      long end = System.nanoTime() + Duration.ofMillis(FAST.leaseMillis() * 3).toNanos();
      while (System.nanoTime() < end) {
        job.set("alive", 1);
        Thread.sleep(50);
      }
      return Map.of("calls", calls.get());
    };
    long id = queue(store, "again");
    runner(store, handler("again", work));
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

    // another node took the job and died at once: its lease has run out, so this node claims the job again
    lastDatabase.jdbi().useHandle(h -> h.execute("UPDATE jobs SET lease_owner = 'crashed', attempt = attempt + 1,"
        + " lease_until = 1 WHERE id = ?", id));

    assertThat(olderStopped.await(30, TimeUnit.SECONDS)).as("the older attempt was told to stop").isTrue();
    Job done = awaitFinished(store, id);
    assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(done.attempt()).as("the newer attempt kept its lease to the end").isEqualTo(3);
    assertThat(calls.get()).isEqualTo(2);
  }
}
