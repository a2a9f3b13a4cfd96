package io.wharf.server.bench;

import io.wharf.conda.archive.PackageWriter;
import io.wharf.conda.repodata.Compression;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Drives a running Wharf for bench/publish-latency.sh. Not a test.
 *
 * <ul>
 *   <li>{@code visible URL TOKEN CHANNEL WORK COUNT}: uploads COUNT packages one after another; for each,
 *       the time from sending the upload until it is served in repodata.json.zst (by its ETag changing),
 *       in its shard (by the shard index naming a shard that lists it) and in current_repodata.json; prints
 *       p50 and p95.
 *   <li>{@code cross URL TOKEN CHANNEL WORK OTHER_URL COUNT}: uploads through one node and times until the
 *       other node (same database, its own published files) serves the file in its shard index.
 *   <li>{@code busy URL TOKEN CHANNEL WORK FILE}: p50/p95 of a package download and of a 304 revalidation
 *       of repodata.json, first idle, then while a burst of 100 uploads (4 at a time) is published.
 * </ul>
 */
public final class PublishLatency {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private PublishLatency() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    String url = args[1];
    String token = args[2];
    String channel = args[3];
    Path work = Files.createDirectories(Path.of(args[4]));
    if (mode.equals("visible")) {
      visible(url, token, channel, work, Integer.parseInt(args[5]));
    } else if (mode.equals("cross")) {
      cross(url, args[5], token, channel, work, Integer.parseInt(args[6]));
    } else {
      busy(url, token, channel, work, args[5]);
    }
  }

  static void visible(String url, String token, String channel, Path work, int count) throws Exception {
    String base = url + "/conda/" + channel + "/linux-64/";
    List<Double> uploadMs = new ArrayList<>();
    List<Double> visibleMs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String name = String.format(Locale.ROOT, "latency-probe-%04d", i);
      Path pkg = write(work, name, "1.0");
      String etag = head(base + "repodata.json.zst");
      long t0 = System.nanoTime();
      upload(url, token, channel, pkg);
      long t1 = System.nanoTime();
      String filename = pkg.getFileName().toString();
      while (true) {
        boolean inRepodata = !head(base + "repodata.json.zst").equals(etag);
        boolean inShard = new String(Compression.unzstd(get(base + "repodata_shards.msgpack.zst"), 1L << 30),
            StandardCharsets.ISO_8859_1).contains(name);
        boolean inCurrent = inRepodata && inShard
            && new String(Compression.unzstd(get(base + "current_repodata.json.zst"), 1L << 31),
                StandardCharsets.UTF_8).contains("\"" + filename + "\"");
        if (inCurrent) {
          break;
        }
        if (System.nanoTime() - t0 > 30_000_000_000L) {
          throw new IllegalStateException(filename + " not visible after 30 s");
        }
        Thread.sleep(2);
      }
      long t2 = System.nanoTime();
      uploadMs.add((t1 - t0) / 1e6);
      visibleMs.add((t2 - t0) / 1e6);
    }
    System.out.printf(Locale.ROOT, "upload round trip: p50 %.1f ms, p95 %.1f ms; upload sent -> served everywhere:"
        + " p50 %.1f ms, p95 %.1f ms (%d uploads)%n", pct(uploadMs, 50), pct(uploadMs, 95), pct(visibleMs, 50),
        pct(visibleMs, 95), count);
  }

  static void cross(String url, String otherUrl, String token, String channel, Path work, int count) throws Exception {
    String otherIndex = otherUrl + "/conda/" + channel + "/linux-64/repodata_shards.msgpack.zst";
    get(otherIndex); // the other node publishes the subdir before the measured changes
    List<Double> ms = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String name = String.format(Locale.ROOT, "cross-probe-%04d", i);
      Path pkg = write(work, name, "1.0");
      long t0 = System.nanoTime();
      upload(url, token, channel, pkg);
      while (!new String(Compression.unzstd(get(otherIndex), 1L << 30), StandardCharsets.ISO_8859_1).contains(name)) {
        if (System.nanoTime() - t0 > 30_000_000_000L) {
          throw new IllegalStateException(name + " not served by the other node after 30 s");
        }
        Thread.sleep(2);
      }
      ms.add((System.nanoTime() - t0) / 1e6);
    }
    System.out.printf(Locale.ROOT, "upload on one node -> served by the other: p50 %.1f ms, p95 %.1f ms, max %.1f ms"
        + " (%d uploads)%n", pct(ms, 50), pct(ms, 95), pct(ms, 100), count);
  }

  static void busy(String url, String token, String channel, Path work, String file) throws Exception {
    String pkgUrl = url + "/conda/" + channel + "/linux-64/" + file;
    String repodata = url + "/conda/" + channel + "/linux-64/repodata.json";
    String etag = head(repodata);
    List<Path> burst = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      burst.add(write(work, String.format(Locale.ROOT, "burst-%03d", i), "1.0"));
    }
    double[] idle = probe(pkgUrl, repodata, etag, 400);
    AtomicBoolean done = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    long started = System.nanoTime();
    List<Future<?>> uploads = new ArrayList<>();
    for (Path p : burst) {
      uploads.add(pool.submit(() -> {
        upload(url, token, channel, p);
        return null;
      }));
    }
    Thread watcher = new Thread(() -> {
      for (Future<?> f : uploads) {
        try {
          f.get();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
      done.set(true);
    });
    watcher.start();
    List<Double> dl = new ArrayList<>();
    List<Double> reval = new ArrayList<>();
    int changed = 0;
    while (!done.get()) {
      double[] one = probe(pkgUrl, repodata, head(repodata), 1);
      dl.add(one[0]);
      if (Double.isNaN(one[2])) {
        changed++; // published anew between the HEAD and the GET: a full answer, not a revalidation
      } else {
        reval.add(one[2]);
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    pool.shutdown();
    System.out.printf(Locale.ROOT, "idle: download p50 %.2f ms p95 %.2f ms, 304 p50 %.2f ms p95 %.2f ms%n",
        idle[0], idle[1], idle[2], idle[3]);
    System.out.printf(Locale.ROOT, "during 100 uploads (%.1f s, %d probes): download p50 %.2f ms p95 %.2f ms,"
        + " 304 p50 %.2f ms p95 %.2f ms (%d of the revalidations found a new repodata and got 200)%n", seconds,
        dl.size(), pct(dl, 50), pct(dl, 95), pct(reval, 50), pct(reval, 95), changed);
  }

  /** p50/p95 of a download and of the revalidations answered 304 (NaN when none was: the ETag had changed). */
  private static double[] probe(String pkgUrl, String repodata, String etag, int n) throws Exception {
    List<Double> dl = new ArrayList<>();
    List<Double> reval = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(pkgUrl)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      long t1 = System.nanoTime();
      HttpResponse<byte[]> nm = HTTP.send(HttpRequest.newBuilder(URI.create(repodata)).header("If-None-Match", etag)
          .build(), HttpResponse.BodyHandlers.ofByteArray());
      long t2 = System.nanoTime();
      if (r.statusCode() != 200 || (nm.statusCode() != 304 && nm.statusCode() != 200)) {
        throw new IllegalStateException("download " + r.statusCode() + ", revalidation " + nm.statusCode());
      }
      dl.add((t1 - t0) / 1e6);
      if (nm.statusCode() == 304) {
        reval.add((t2 - t1) / 1e6);
      }
    }
    if (reval.isEmpty()) {
      return new double[] {pct(dl, 50), pct(dl, 95), Double.NaN, Double.NaN};
    }
    return new double[] {pct(dl, 50), pct(dl, 95), pct(reval, 50), pct(reval, 95)};
  }

  private static Path write(Path work, String name, String version) throws Exception {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("info/index.json", ("{\"name\":\"" + name + "\",\"version\":\"" + version + "\",\"build\":\"0\","
        + "\"build_number\":0,\"subdir\":\"linux-64\",\"depends\":[\"python >=3.8\"]}")
        .getBytes(StandardCharsets.UTF_8));
    files.put("info/paths.json", "{\"paths\":[],\"paths_version\":1}".getBytes(StandardCharsets.UTF_8));
    Path p = work.resolve(name + "-" + version + "-0.tar.bz2");
    PackageWriter.writeTarBz2(p, files);
    return p;
  }

  private static void upload(String url, String token, String channel, Path pkg) throws Exception {
    HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/api/channels/" + channel + "/files/"
            + pkg.getFileName())).header("Authorization", "Bearer " + token)
        .PUT(HttpRequest.BodyPublishers.ofFile(pkg)).build(), HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 201) {
      throw new IllegalStateException("upload " + r.statusCode() + ": " + new String(r.body()));
    }
  }

  private static String head(String u) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(u)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.discarding()).headers().firstValue("ETag").orElse("");
  }

  private static byte[] get(String u) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(u)).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
  }

  static double pct(List<Double> values, int p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }
}
