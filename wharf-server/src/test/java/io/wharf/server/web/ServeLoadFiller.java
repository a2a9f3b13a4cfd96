package io.wharf.server.web;

import io.wharf.conda.archive.PackageWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Fills a running Wharf channel with synthetic but valid .conda packages for bench/serve-load.sh. Not a
 * test. Packages: {@code names} names x {@code versions} versions each, in linux-64, each depending on
 * 0-4 earlier names with version constraints, so repodata and shards have realistic shapes. Uploads go
 * through the real API (PUT), several at a time, and the upload rate is printed.
 *
 * <p>Arguments: server URL, admin token, channel, names, versions per name, work directory.
 */
public final class ServeLoadFiller {
  private ServeLoadFiller() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String token = args[1];
    String channel = args[2];
    int names = Integer.parseInt(args[3]);
    int versions = Integer.parseInt(args[4]);
    Path work = Files.createDirectories(Path.of(args[5]));
    Random random = new Random(42);
    List<Path> files = new ArrayList<>();
    for (int n = 0; n < names; n++) {
      String name = String.format(Locale.ROOT, "bench-pkg-%05d", n);
      for (int v = 0; v < versions; v++) {
        List<String> depends = new ArrayList<>(List.of("libgcc-ng >=7.3.0"));
        for (int d = random.nextInt(5); d > 0 && n > 0; d--) {
          depends.add(String.format(Locale.ROOT, "bench-pkg-%05d >=%d.0,<%d", random.nextInt(n), random.nextInt(3),
              3 + random.nextInt(3)));
        }
        files.add(write(work, name, v + "." + random.nextInt(20) + ".0", depends));
      }
    }
    HttpClient http = HttpClient.newHttpClient();
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<Integer>> results = new ArrayList<>();
    for (Path f : files) {
      results.add(pool.submit(() -> http.send(HttpRequest.newBuilder(
                  URI.create(url + "/api/channels/" + channel + "/files/" + f.getFileName()))
              .header("Authorization", "Bearer " + token)
              .PUT(HttpRequest.BodyPublishers.ofFile(f)).build(), HttpResponse.BodyHandlers.discarding())
          .statusCode()));
    }
    for (Future<Integer> r : results) {
      if (r.get() != 201) {
        throw new IllegalStateException("upload answered " + r.get());
      }
    }
    pool.shutdown();
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(Locale.ROOT, "uploaded %d files in %.1f s (%.0f files/s, 4 at a time)%n", files.size(), seconds,
        files.size() / seconds);
  }

  private static Path write(Path dir, String name, String version, List<String> depends) throws IOException {
    String build = "h1234567_0";
    String stem = name + "-" + version + "-" + build;
    StringBuilder deps = new StringBuilder();
    for (String d : depends) {
      deps.append(deps.length() == 0 ? "" : ",").append('"').append(d).append('"');
    }
    String index = "{\"name\":\"" + name + "\",\"version\":\"" + version + "\",\"build\":\"" + build
        + "\",\"build_number\":0,\"subdir\":\"linux-64\",\"arch\":\"x86_64\",\"platform\":\"linux\","
        + "\"license\":\"MIT\",\"license_family\":\"MIT\",\"timestamp\":1700000000000,\"depends\":[" + deps + "]}";
    String about = "{\"summary\":\"Synthetic package " + name + " for load measurements\",\"license\":\"MIT\"}";
    Map<String, byte[]> content = new LinkedHashMap<>();
    content.put("info/index.json", index.getBytes(StandardCharsets.UTF_8));
    content.put("info/about.json", about.getBytes(StandardCharsets.UTF_8));
    content.put("info/paths.json", "{\"paths\":[],\"paths_version\":1}".getBytes(StandardCharsets.UTF_8));
    content.put("lib/" + name + ".txt", ("payload of " + stem + "\n").repeat(64).getBytes(StandardCharsets.UTF_8));
    Path target = dir.resolve(stem + ".conda");
    PackageWriter.writeConda(target, stem, content);
    return target;
  }
}
