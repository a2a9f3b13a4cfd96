package io.wharf.server.pkg;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.testing.RecordPackages;
import io.wharf.server.testing.ServedRows;
import io.wharf.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many threads copy, move, remove and upload on the same three channels at once, through the HTTP API.
 * A ledger counts, from each answer, how many copies of every file should exist; at the end the stored
 * rows must match it exactly (nothing lost, nothing duplicated) and every channel must serve exactly
 * its rows. Run once per database engine.
 */
abstract class TransferConcurrencyContract {
  private static final List<String> CHANNELS = List.of("cc-a", "cc-b", "cc-c");
  private static final Set<String> NAMES = Set.of("six", "certifi", "zlib", "xz", "tk", "readline", "libffi",
      "ncurses", "idna", "urllib3", "toolz");
  private static final int THREADS = 10;
  private static final int OPS_PER_THREAD = 40;
  /** Most requests name one of the first few files, so that requests meet on the same rows. */
  private static final int HOT = 8;

  @TempDir Path data;
  private TestServer server;

  /** Settings that point the server at the engine under test (none for SQLite). */
  protected abstract Map<String, String> engine();

  @Test
  void concurrentTransfersAndUploadsLoseAndDuplicateNothingAndServeExactlyTheRows() throws Exception {
    Map<String, String> settings = new java.util.HashMap<>(engine());
    // Jetty measures the minimum body rate from a body's first byte, so on a busy machine a JSON body of a
    // hundred bytes read a few tens of milliseconds late already counts as slower than 4 KiB/s and fails
    // with 408. That limit is about slow clients, which this test is not about.
    settings.put("http.min.request.rate", "0");
    server = TestServer.start(data.resolve("server"), settings);
    try {
      run();
    } finally {
      server.close();
    }
  }

  private void run() throws Exception {
    for (String c : CHANNELS) {
      assertThat(server.createChannel(c, "public").statusCode()).isEqualTo(201);
    }
    List<Path> packages = RecordPackages.fromIndex4(Files.createDirectories(data.resolve("packages")), NAMES);
    List<String> filenames = packages.stream().map(p -> p.getFileName().toString()).toList();
    Map<String, AtomicInteger> expected = new ConcurrentHashMap<>();
    filenames.forEach(f -> expected.put(f, new AtomicInteger()));
    ConcurrentLinkedQueue<Path> pending = new ConcurrentLinkedQueue<>();
    for (int i = 0; i < packages.size(); i++) {
      if (i % 2 == 0) {
        assertThat(server.upload("cc-a", packages.get(i)).statusCode()).isEqualTo(201);
        expected.get(filenames.get(i)).incrementAndGet();
      } else {
        pending.add(packages.get(i));
      }
    }
    List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    AtomicInteger changed = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Future<?>> work = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      Random random = new Random(7919L * (t + 1));
      work.add(pool.submit(() -> {
        // most steps change something, but collisions and items already taken by another thread do not:
        // go on (up to four times as long) until enough did, so the check below is about the rows
        for (int op = 0; op < OPS_PER_THREAD || changed.get() <= THREADS * 5 && op < OPS_PER_THREAD * 4; op++) {
          String outcome = step(random, filenames, pending, expected);
          if (outcome != null && outcome.startsWith("!")) {
            failures.add(outcome);
          } else if (outcome != null) {
            changed.incrementAndGet();
          }
        }
        return null;
      }));
    }
    for (Future<?> f : work) {
      f.get();
    }
    pool.shutdown();

    assertThat(failures).as("answers other than success, no_match or a conflict").isEmpty();
    assertThat(changed.get()).as("enough requests went through to mean something").isGreaterThan(THREADS * 5);
    Map<String, Integer> actual = new TreeMap<>();
    for (String c : CHANNELS) {
      Map<String, JsonNode> stored = ServedRows.stored(server, c, "main");
      stored.keySet().forEach(k -> actual.merge(k.substring(k.indexOf('/') + 1), 1, Integer::sum));
      eventually(() -> ServedRows.served(server, c, "main", List.of("linux-64", "noarch")).equals(stored),
          c + " serves exactly its rows");
    }
    Map<String, Integer> ledger = new TreeMap<>();
    expected.forEach((f, n) -> {
      if (n.get() != 0) {
        ledger.put(f, n.get());
      }
    });
    assertThat(actual).as("every file exists as many times as the answers said").isEqualTo(ledger);
    long uploaded = packages.size() - pending.size();
    assertThat(server.blobCount()).as("one blob per uploaded file, whatever was copied").isEqualTo(uploaded);
  }

  /** One random request; returns null when it changed nothing, "!..." for an unexpected answer. */
  private String step(Random random, List<String> filenames, ConcurrentLinkedQueue<Path> pending,
      Map<String, AtomicInteger> expected) {
    int kind = random.nextInt(10);
    String from = CHANNELS.get(random.nextInt(CHANNELS.size()));
    if (kind < 2) {
      Path p = pending.poll();
      if (p == null) {
        return null;
      }
      HttpResponse<byte[]> res = server.upload(from, p);
      if (res.statusCode() == 201) {
        expected.get(p.getFileName().toString()).incrementAndGet();
        return "uploaded";
      }
      if (res.statusCode() == 409) {
        return null; // a copy or move put the file there first
      }
      return "!upload " + res.statusCode() + " " + new String(res.body());
    }
    List<String> items = new ArrayList<>();
    for (int i = 1 + random.nextInt(3); i > 0; i--) {
      String f = filenames.get(random.nextInt(random.nextInt(5) == 0 ? filenames.size() : HOT));
      items.add(random.nextInt(4) == 0 ? f.substring(0, f.indexOf('-')) : f);
    }
    String to = CHANNELS.get(random.nextInt(CHANNELS.size()));
    String action = kind < 6 ? "copy" : kind < 9 ? "move" : "remove";
    if (!action.equals("remove") && to.equals(from)) {
      return null;
    }
    String collision = List.of("fail", "skip", "replace").get(random.nextInt(3));
    String body = action.equals("remove") ? "{\"items\":" + json(items) + "}"
        : "{\"to\":\"" + to + "\",\"items\":" + json(items) + ",\"onCollision\":\"" + collision + "\"}";
    HttpResponse<byte[]> res = server.send(server.admin("/api/channels/" + from + "/" + action)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    if (res.statusCode() == 404 || res.statusCode() == 409) {
      return null;
    }
    if (res.statusCode() != 200) {
      return "!" + action + " " + res.statusCode() + " " + new String(res.body());
    }
    for (JsonNode f : TestServer.json(res).get("files")) {
      int delta = switch (action + "/" + f.get("result").asText()) {
        case "copy/copied" -> 1;
        case "move/replaced", "remove/removed" -> -1;
        default -> 0;
      };
      expected.get(f.get("filename").asText()).addAndGet(delta);
    }
    return action;
  }

  private static String json(List<String> items) {
    return items.stream().map(i -> "\"" + i + "\"").collect(java.util.stream.Collectors.joining(",", "[", "]"));
  }

  private static void eventually(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what + " within 30 s").isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
