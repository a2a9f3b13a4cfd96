package io.wharf.server.e2e.crash;

import io.wharf.server.db.Database;
import io.wharf.server.storage.BlobStore;
import io.wharf.server.storage.BlobStores;
import io.wharf.server.testing.PostgresFixture;
import io.wharf.server.testing.S3Fixture;
import io.wharf.server.testing.ServerProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import io.wharf.server.auth.Tokens;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Uploads packages from several clients into a Wharf running as a separate process, kills that process
 * with SIGKILL at random moments, restarts it, and checks after every restart that nothing acknowledged
 * was lost and nothing was left behind ({@link RestartChecks}). Some kills hit the server while it is
 * starting. Every wait has a deadline, everything listens on loopback, and the loop ends after the given
 * number of kills.
 */
public final class CrashLoop {
  /** The storage combinations the loop runs on. */
  public enum Engine {
    SQLITE_DISK("SQLite + disk"), POSTGRES_S3("PostgreSQL + S3");

    final String label;

    Engine(String label) {
      this.label = label;
    }
  }

  /** What one loop did. */
  public record Result(Engine engine, int runs, int killsDuringStart, long acknowledged, long lost,
      long unanswered, int blobsAtEnd, Duration took, long seed) {
    public String summary() {
      return String.format("%s: runs %d (%d of them during start), acknowledged uploads %d, lost: %d"
              + " (%d uploads unanswered at a kill, each either stored or not), %d blobs at the end, %d s, seed %d",
          engine.label, runs, killsDuringStart, acknowledged, lost, unanswered, blobsAtEnd, took.toSeconds(), seed);
    }
  }

  /** Thrown when a check fails; the message holds every problem found and the server's recent log. */
  public static final class CrashLoopFailure extends AssertionError {
    CrashLoopFailure(String message) {
      super(message);
    }
  }

  private static final String CHANNEL = "crash";
  private static final int UPLOADERS = 3;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
  /** Share of kills (in percent) that hit the next start instead of a running server. */
  private static final int START_KILL_PERCENT = 15;
  /** Share of kills (in percent) at a random moment of a round, maybe before any upload got through. */
  private static final int COLD_KILL_PERCENT = 25;
  /** The others come at a random moment up to this long after the round's first acknowledged upload. */
  private static final long MAX_KILL_DELAY_MS = 1_500;
  private static final Duration FIRST_ACK_TIMEOUT = Duration.ofSeconds(60);

  private final Engine engine;
  private final int kills;
  private final long seed;
  private final Path work;
  private final PrintStream log;
  private final Random random;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private final Ledger ledger = new Ledger();
  private final List<Uploader> uploaders = new ArrayList<>();
  private final List<String> flags = new ArrayList<>();
  private final Map<String, String> env = new HashMap<>(Map.of("WHARF_ADMIN_TOKEN", Tokens.generate()));
  private int starts;
  private long lastStartMillis = 2_000;

  private CrashLoop(Engine engine, int kills, long seed, Path work, PrintStream log) {
    this.engine = engine;
    this.kills = kills;
    this.seed = seed;
    this.work = work;
    this.log = log;
    this.random = new Random(seed);
  }

  /** Runs the loop in {@code work} (an empty directory); returns its figures or throws {@link CrashLoopFailure}. */
  public static Result run(Engine engine, int kills, long seed, Path work, PrintStream log) throws Exception {
    return new CrashLoop(engine, kills, seed, work, log).run();
  }

  private Result run() throws Exception {
    long began = System.nanoTime();
    Path data = work.resolve("data");
    Path packages = Files.createDirectories(work.resolve("packages"));
    for (int i = 0; i < UPLOADERS; i++) {
      uploaders.add(new Uploader("crash-" + (char) ('a' + i), CHANNEL, ledger, seed + i, packages));
    }
    flags.addAll(List.of("--data", data.toString()));
    S3Fixture s3 = null;
    Database db = null;
    BlobStore blobs = null;
    ServerProcess server = null;
    try {
      String storage = null;
      PostgresFixture.PgDatabase pg = null;
      if (engine == Engine.POSTGRES_S3) {
        pg = PostgresFixture.shared().newDatabase();
        s3 = S3Fixture.start();
        storage = s3.storageSpec("crash");
        flags.addAll(List.of("--db-url", pg.jdbcUrl(), "--db-user", pg.user()));
        if (!pg.password().isBlank()) {
          env.put("WHARF_DB_PASSWORD", pg.password());
        }
        env.put("WHARF_STORAGE", storage);
      }
      server = startServing();
      createChannel(server);
      // the same database and store, opened here to read rows directly and to sweep
      db = pg != null ? Database.open(pg.jdbcUrl(), pg.user(), pg.password())
          : Database.openSqlite(data.resolve("wharf.db"));
      blobs = BlobStores.open(storage, data.resolve("blobs"));
      List<Path> temp = new ArrayList<>(List.of(data.resolve("tmp")));
      if (storage == null) {
        temp.add(data.resolve("blobs").resolve(".tmp"));
      }
      RestartChecks checks = new RestartChecks(http, db, blobs, temp, CHANNEL, seed);
      RestartChecks.Outcome outcome = check(checks, server, 0);
      int killed = 0;
      int duringStart = 0;
      long unanswered = 0;
      long lost = outcome.lost();
      while (killed < kills) {
        long before = ledger.acknowledgedCount();
        UploadRound round = uploadAndKill(server);
        killed++;
        unanswered += round.unanswered;
        String line = String.format("%s: kill %d/%d after %d ms of uploads (%d acknowledged in this round, %d"
            + " unanswered)", engine.label, killed, kills, round.killAfterMillis,
            ledger.acknowledgedCount() - before, round.unanswered);
        if (killed < kills && random.nextInt(100) < START_KILL_PERCENT) {
          long delay = (long) (random.nextDouble() * lastStartMillis);
          ServerProcess starting = start();
          Thread.sleep(delay);
          starting.kill();
          killed++;
          duringStart++;
          line += String.format("; kill %d/%d hit the restart %d ms after it began", killed, kills, delay);
        }
        server = startServing();
        outcome = check(checks, server, killed);
        lost += outcome.lost();
        log.printf("%s; restarted in %d ms; checks passed: %d files, %d blobs%n", line, lastStartMillis,
            outcome.held().size(), outcome.blobs());
      }
      return new Result(engine, killed, duringStart, ledger.acknowledgedCount(), lost, unanswered, outcome.blobs(),
          Duration.ofNanos(System.nanoTime() - began), seed);
    } finally {
      if (server != null) {
        server.close();
      }
      if (blobs != null) {
        blobs.close();
      }
      if (db != null) {
        db.close();
      }
      if (s3 != null) {
        s3.close();
      }
    }
  }

  private record UploadRound(long killAfterMillis, long unanswered) {}

  /** Starts the uploaders, kills the server at a random moment while they run, and waits for them to stop. */
  private UploadRound uploadAndKill(ServerProcess server) throws Exception {
    String token = adminToken();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicBoolean killed = new AtomicBoolean();
    List<String> problems = Collections.synchronizedList(new ArrayList<>());
    LongAdder unanswered = new LongAdder();
    List<Thread> threads = new ArrayList<>();
    for (Uploader u : uploaders) {
      Thread t = new Thread(() -> u.run(http, server.url(), token, stop, killed, problems::add, unanswered),
          "crash-uploader");
      t.setDaemon(true);
      threads.add(t);
    }
    long began = System.nanoTime();
    long acknowledgedBefore = ledger.acknowledgedCount();
    threads.forEach(Thread::start);
    if (random.nextInt(100) >= COLD_KILL_PERCENT) {
      // most kills come once uploads flow (the first ones after a start are slow: nothing is loaded yet)
      long deadline = System.nanoTime() + FIRST_ACK_TIMEOUT.toNanos();
      while (ledger.acknowledgedCount() == acknowledgedBefore && problems.isEmpty()
          && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      if (ledger.acknowledgedCount() == acknowledgedBefore && problems.isEmpty()) {
        problems.add("no upload was acknowledged within " + FIRST_ACK_TIMEOUT.toSeconds() + " s");
      }
    }
    Thread.sleep((long) (random.nextDouble() * MAX_KILL_DELAY_MS));
    long delay = (System.nanoTime() - began) / 1_000_000;
    killed.set(true);
    server.kill();
    stop.set(true);
    for (Thread t : threads) {
      t.join(Duration.ofSeconds(90).toMillis());
      if (t.isAlive()) {
        problems.add("an uploader did not stop within 90 s of the kill");
      }
    }
    if (!problems.isEmpty()) {
      throw failure("uploads failed while the server was running", problems, server);
    }
    return new UploadRound(delay, unanswered.sum());
  }

  private RestartChecks.Outcome check(RestartChecks checks, ServerProcess server, int killed) throws Exception {
    RestartChecks.Outcome outcome = checks.run(server.url(), ledger);
    if (!outcome.problems().isEmpty()) {
      throw failure(String.format("after kill %d of %d on %s (%d acknowledged uploads so far, %d lost)", killed,
          kills, engine.label, ledger.acknowledgedCount(), outcome.lost()), outcome.problems(), server);
    }
    ledger.settle(outcome.held());
    return outcome;
  }

  private ServerProcess start() {
    starts++;
    return ServerProcess.start(flags, env, work.resolve("server-" + starts + ".log"));
  }

  private ServerProcess startServing() throws Exception {
    long began = System.nanoTime();
    ServerProcess server = start();
    if (!server.awaitServing(START_TIMEOUT)) {
      String text = server.logText();
      server.close();
      throw new CrashLoopFailure("the server did not start (start " + starts + ", seed " + seed + "):\n"
          + tail(text));
    }
    lastStartMillis = (System.nanoTime() - began) / 1_000_000;
    return server;
  }

  private void createChannel(ServerProcess server) throws Exception {
    HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/channels"))
        .header("Authorization", "Bearer " + adminToken())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + CHANNEL + "\",\"privacy\":\"public\"}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    if (res.statusCode() != 201) {
      throw new CrashLoopFailure("cannot create the channel: HTTP " + res.statusCode() + " " + res.body());
    }
  }

  /**
   * The bootstrap token, given to every start through {@code WHARF_ADMIN_TOKEN}: a generated one is
   * printed once and only its hash is stored, so a start killed between the two would leave the loop
   * without it. Each start stores the configured token's hash, so that path is crashed too.
   */
  private String adminToken() {
    return env.get("WHARF_ADMIN_TOKEN");
  }

  private CrashLoopFailure failure(String what, List<String> problems, ServerProcess server) {
    StringBuilder sb = new StringBuilder(what).append(" (seed ").append(seed).append("):");
    problems.stream().limit(50).forEach(p -> sb.append("\n  ").append(p));
    if (problems.size() > 50) {
      sb.append("\n  ... and ").append(problems.size() - 50).append(" more");
    }
    sb.append("\nserver log (").append(work.resolve("server-" + starts + ".log")).append("):\n")
        .append(tail(server.logText()));
    return new CrashLoopFailure(sb.toString());
  }

  private static String tail(String text) {
    return text.length() <= 4_000 ? text : "..." + text.substring(text.length() - 4_000);
  }
}
