package io.wharf.server.e2e.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStream;
import io.wharf.server.db.Database;
import io.wharf.server.pkg.BlobSweeper;
import io.wharf.server.pkg.JdbcPackageFileRepository;
import io.wharf.server.storage.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What must hold after every restart, each read from its source: the server's spool directory, the
 * database rows (queried directly), the repodata and package files the server serves, and the blob
 * store after a sweep that runs with a clock past the grace period.
 */
final class RestartChecks {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final List<String> LABELS = List.of("main", "dev");
  static final List<String> SUBDIRS = List.of("noarch", "linux-64");
  /** Older files downloaded again per check, besides every file written since the last check. */
  private static final int RESAMPLED = 20;

  /** A package row as stored. */
  record Row(String sha256, long size, String blobKey, String recordJson) {}

  /** The outcome of one check. */
  record Outcome(List<String> problems, long lost, Map<Ledger.Location, String> held, int blobs) {}

  private final HttpClient http;
  private final Database db;
  private final BlobStore blobs;
  private final List<Path> tempDirs;
  private final String channel;
  private final Random random;

  /** {@code tempDirs}: the server's upload spool and, for a disk store, the store's temporary directory. */
  RestartChecks(HttpClient http, Database db, BlobStore blobs, List<Path> tempDirs, String channel, long seed) {
    this.http = http;
    this.db = db;
    this.blobs = blobs;
    this.tempDirs = List.copyOf(tempDirs);
    this.channel = channel;
    this.random = new Random(seed);
  }

  Outcome run(String baseUrl, Ledger ledger) throws IOException, InterruptedException {
    List<String> problems = new ArrayList<>();
    spool(problems);
    Map<Ledger.Location, Row> rows = rows();
    for (String label : LABELS) {
      for (String subdir : SUBDIRS) {
        repodata(baseUrl, label, subdir, rows, problems);
      }
    }
    long lost = 0;
    Map<Ledger.Location, String> held = new HashMap<>();
    rows.forEach((loc, row) -> held.put(loc, row.sha256()));
    Set<Ledger.Location> judged = new HashSet<>(ledger.locations());
    judged.addAll(rows.keySet());
    for (Ledger.Location loc : judged) {
      Optional<String> verdict = ledger.judge(loc, Optional.ofNullable(held.get(loc)));
      if (verdict.isPresent()) {
        problems.add(loc + ": " + verdict.get());
        lost += verdict.get().startsWith("LOST") ? 1 : 0;
      }
    }
    downloads(baseUrl, ledger, rows, problems);
    searchRows(problems);
    int remaining = sweepAndCompare(rows, problems);
    return new Outcome(problems, lost, held, remaining);
  }

  /**
   * Crashed uploads leave no spool file behind once the server has started again: neither in the
   * upload spool nor, on a disk store, a half-copied blob in the store's own temporary directory.
   */
  private void spool(List<String> problems) throws IOException {
    for (Path dir : tempDirs) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      // below the store's .tmp each open store keeps a lock file: the server's and this test's own
      try (Stream<Path> left = Files.walk(dir)) {
        left.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals("lock"))
            .forEach(p -> problems.add("temporary file left after the restart: " + p));
      }
    }
  }

  private Map<Ledger.Location, Row> rows() {
    Map<Ledger.Location, Row> out = new HashMap<>();
    db.jdbi().useHandle(h -> h.createQuery("SELECT f.label, f.subdir, f.filename, f.sha256, f.size, f.blob_key,"
            + " f.record_json FROM package_files f JOIN channels c ON c.id = f.channel_id WHERE c.name = :name")
        .bind("name", channel)
        .map((rs, ctx) -> out.put(new Ledger.Location(rs.getString("label"), rs.getString("subdir"),
                rs.getString("filename")),
            new Row(rs.getString("sha256"), rs.getLong("size"), rs.getString("blob_key"), rs.getString("record_json"))))
        .list());
    return out;
  }

  /** The served repodata.json (and its .zst) lists exactly the stored rows, each with its stored record. */
  private void repodata(String baseUrl, String label, String subdir, Map<Ledger.Location, Row> rows,
      List<String> problems) throws IOException, InterruptedException {
    Map<String, JsonNode> stored = new TreeMap<>();
    for (Map.Entry<Ledger.Location, Row> e : rows.entrySet()) {
      if (e.getKey().label().equals(label) && e.getKey().subdir().equals(subdir)) {
        stored.put(e.getKey().filename(), JSON.readTree(e.getValue().recordJson()));
      }
    }
    String path = new Ledger.Location(label, subdir, "repodata.json").condaPath(channel);
    HttpResponse<byte[]> json = get(baseUrl + path);
    if (json.statusCode() == 404 && !label.equals("main") && stored.isEmpty()) {
      return; // a label without files does not exist
    }
    if (json.statusCode() != 200) {
      problems.add(path + ": HTTP " + json.statusCode());
      return;
    }
    Map<String, JsonNode> served = records(JSON.readTree(json.body()));
    if (!served.equals(stored)) {
      Set<String> missing = new HashSet<>(stored.keySet());
      missing.removeAll(served.keySet());
      Set<String> extra = new HashSet<>(served.keySet());
      extra.removeAll(stored.keySet());
      long differing = stored.keySet().stream().filter(served::containsKey)
          .filter(k -> !stored.get(k).equals(served.get(k))).count();
      problems.add(path + " differs from the stored rows: missing " + missing + ", not stored " + extra
          + ", " + differing + " records differ");
    }
    HttpResponse<byte[]> zst = get(baseUrl + path + ".zst");
    byte[] plain = zst.statusCode() != 200 ? null
        : new ZstdInputStream(new ByteArrayInputStream(zst.body())).readAllBytes();
    if (plain == null || !records(JSON.readTree(plain)).equals(served)) {
      problems.add(path + ".zst does not hold the same records as repodata.json (HTTP " + zst.statusCode() + ")");
    }
  }

  private static Map<String, JsonNode> records(JsonNode repodata) {
    Map<String, JsonNode> out = new TreeMap<>();
    for (String key : List.of("packages", "packages.conda")) {
      repodata.path(key).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
    }
    return out;
  }

  /**
   * Every file written since the last check, and a sample of older ones, downloads with the bytes of
   * its row (and so, by the ledger's judgement, those of its acknowledged upload); a location without a
   * row answers 404.
   */
  private void downloads(String baseUrl, Ledger ledger, Map<Ledger.Location, Row> rows, List<String> problems)
      throws IOException, InterruptedException {
    Set<Ledger.Location> wanted = new HashSet<>(ledger.touched());
    List<Ledger.Location> older = new ArrayList<>(rows.keySet());
    for (int i = 0; i < RESAMPLED && !older.isEmpty(); i++) {
      wanted.add(older.get(random.nextInt(older.size())));
    }
    for (Ledger.Location loc : wanted) {
      Row row = rows.get(loc);
      HttpResponse<byte[]> res = get(baseUrl + loc.condaPath(channel));
      if (row == null) {
        if (res.statusCode() != 404) {
          problems.add(loc + ": no row, but the download answers HTTP " + res.statusCode());
        }
      } else if (res.statusCode() != 200) {
        problems.add(loc + ": stored, but the download answers HTTP " + res.statusCode());
      } else if (!Uploader.sha256(res.body()).equals(row.sha256()) || res.body().length != row.size()) {
        problems.add(loc + ": the download's bytes are not those of its row");
      }
    }
  }

  /**
   * The catalog's search rows (written after each commit, reconciled at start) count the stored files
   * of every name: a kill between a commit and its index update leaves no lasting gap.
   */
  private void searchRows(List<String> problems) {
    String inChannel = " WHERE channel_id = (SELECT id FROM channels WHERE name = :name)";
    Map<String, Long> stored = new TreeMap<>();
    Map<String, Long> indexed = new TreeMap<>();
    db.jdbi().useHandle(h -> {
      h.createQuery("SELECT name, COUNT(*) AS n FROM package_files" + inChannel + " GROUP BY name")
          .bind("name", channel).map((rs, ctx) -> stored.put(rs.getString("name"), rs.getLong("n"))).list();
      h.createQuery("SELECT name, file_count FROM package_search" + inChannel)
          .bind("name", channel).map((rs, ctx) -> indexed.put(rs.getString("name"), rs.getLong("file_count"))).list();
    });
    if (!stored.equals(indexed)) {
      problems.add("search rows " + indexed + " disagree with the stored files per name " + stored);
    }
  }

  /**
   * Sweeps with a clock past the grace period, then: every blob left under sha256/ is used by a row (of
   * any channel), and every row's blob exists. Returns how many blobs remain.
   */
  private int sweepAndCompare(Map<Ledger.Location, Row> rows, List<String> problems) throws IOException {
    long afterGrace = System.currentTimeMillis() + BlobSweeper.DEFAULT_GRACE_MILLIS + 60_000;
    new BlobSweeper(new JdbcPackageFileRepository(db), blobs, BlobSweeper.DEFAULT_GRACE_MILLIS).sweep(afterGrace);
    Set<String> referenced = new HashSet<>(db.jdbi().withHandle(h ->
        h.createQuery("SELECT DISTINCT blob_key FROM package_files").mapTo(String.class).list()));
    Set<String> present = new HashSet<>(blobs.list("sha256/"));
    for (String key : present) {
      if (!referenced.contains(key)) {
        problems.add("blob " + key + " is used by no row after the sweep");
      }
    }
    for (String key : referenced) {
      if (!present.contains(key)) {
        problems.add("blob " + key + " of a stored row is missing");
      }
    }
    for (String key : blobs.list("packages/")) {
      problems.add("blob " + key + " outside the content-addressed layout");
    }
    for (Map.Entry<Ledger.Location, Row> e : rows.entrySet()) {
      String expected = "sha256/" + e.getValue().sha256().substring(0, 2) + "/" + e.getValue().sha256();
      if (!e.getValue().blobKey().equals(expected)) {
        problems.add(e.getKey() + ": row names blob " + e.getValue().blobKey() + ", not its content key");
      }
    }
    return present.size();
  }

  private HttpResponse<byte[]> get(String url) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }
}
