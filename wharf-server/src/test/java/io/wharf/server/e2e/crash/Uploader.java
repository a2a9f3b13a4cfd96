package io.wharf.server.e2e.crash;

import io.wharf.conda.archive.PackageWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * One client uploading packages of its own name in a loop until told to stop or until a request fails:
 * mostly new files (both formats, two subdirs, small and large), sometimes the same bytes again under a
 * label (a second row on one shared blob), sometimes new bytes over one of its earlier files (a replace,
 * which leaves the old blob to the sweeper). Every attempt goes into the {@link Ledger} before it is sent.
 */
final class Uploader {
  /** A file this uploader created, so that it can copy or replace it later. */
  private record Made(String version, String subdir, boolean conda) {
    String filename(String name) {
      return name + "-" + version + "-0" + (conda ? ".conda" : ".tar.bz2");
    }
  }

  private final String name;
  private final String channel;
  private final Ledger ledger;
  private final Random random;
  private final Path workDir;
  private final List<Made> made = new ArrayList<>();
  private int serial;
  private Path lastFile;
  private Ledger.Location lastLocation;

  Uploader(String name, String channel, Ledger ledger, long seed, Path workDir) {
    this.name = name;
    this.channel = channel;
    this.ledger = ledger;
    this.random = new Random(seed);
    this.workDir = workDir;
  }

  /**
   * Uploads until {@code stop} is set or a request gets no answer; a request that fails without an
   * answer while {@code killed} is still false, or any answer other than 201, goes to {@code problems}.
   */
  void run(HttpClient http, String baseUrl, String token, AtomicBoolean stop, AtomicBoolean killed,
      Consumer<String> problems, LongAdder unanswered) {
    while (!stop.get()) {
      Attempt a;
      try {
        a = next();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      ledger.sending(a.location, a.sha256);
      HttpRequest request;
      try {
        request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/channels/" + channel + "/files/"
                + a.location.filename() + a.query))
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(60))
            .PUT(HttpRequest.BodyPublishers.ofFile(a.file))
            .build();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      HttpResponse<String> response;
      try {
        response = http.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        unanswered.increment();
        if (!killed.get()) {
          problems.accept(a.location.filename() + ": no answer while the server was running: " + e);
        }
        return; // the server is gone: the outcome of this upload stays unknown
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (response.statusCode() != 201) {
        problems.accept(a.location.filename() + a.query + ": HTTP " + response.statusCode() + " " + response.body());
        return;
      }
      ledger.acknowledged(a.location, a.sha256);
    }
  }

  private record Attempt(Ledger.Location location, Path file, String sha256, String query) {}

  private Attempt next() throws IOException {
    int dice = random.nextInt(100);
    if (dice < 15 && lastFile != null && lastLocation.label().equals("main")) {
      // the same bytes under a label (again, after a replace): a second row on the same blob
      Ledger.Location loc = new Ledger.Location("dev", lastLocation.subdir(), lastLocation.filename());
      lastLocation = loc;
      return new Attempt(loc, lastFile, sha256(lastFile), "?label=dev&replace=true");
    }
    Made m;
    String query = "";
    if (dice < 30 && !made.isEmpty()) {
      m = made.get(random.nextInt(made.size())); // new bytes over an earlier file
      query = "?replace=true";
    } else {
      m = new Made("1." + (++serial), serial % 2 == 0 ? "noarch" : "linux-64", serial % 3 != 0);
      made.add(m);
    }
    // large payloads go into .conda only: bzip2 of a megabyte takes long enough to slow the loop down
    int size = m.conda() && random.nextInt(10) == 0 ? 512 * 1024 + random.nextInt(1024 * 1024)
        : 256 + random.nextInt(16 * 1024);
    Path file = write(m, size);
    if (lastFile != null) {
      Files.deleteIfExists(lastFile);
    }
    lastFile = file;
    lastLocation = new Ledger.Location("main", m.subdir(), m.filename(name));
    return new Attempt(lastLocation, file, sha256(file), query);
  }

  private Path write(Made m, int payloadSize) throws IOException {
    byte[] payload = new byte[payloadSize];
    random.nextBytes(payload);
    String index = "{\"name\":\"" + name + "\",\"version\":\"" + m.version() + "\",\"build\":\"0\","
        + "\"build_number\":0,\"subdir\":\"" + m.subdir() + "\","
        + (m.subdir().equals("noarch") ? "\"noarch\":\"generic\"," : "")
        + "\"depends\":[\"python >=3.8\",\"crash-dep " + m.version() + ".*\"],\"license\":\"MIT\"}";
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("info/index.json", index.getBytes(StandardCharsets.UTF_8));
    files.put("info/paths.json", "{\"paths\":[],\"paths_version\":1}".getBytes(StandardCharsets.UTF_8));
    files.put("share/" + name + "/payload.bin", payload);
    Path file = workDir.resolve(name + "-" + System.nanoTime() + "-" + m.filename(name));
    if (m.conda()) {
      String filename = m.filename(name);
      PackageWriter.writeConda(file, filename.substring(0, filename.length() - ".conda".length()), files);
    } else {
      PackageWriter.writeTarBz2(file, files);
    }
    return file;
  }

  static String sha256(Path file) throws IOException {
    return sha256(Files.readAllBytes(file));
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
