package io.wharf.server.mirror;

import io.wharf.server.error.WharfException;
import io.wharf.server.pkg.PackageStore;
import io.wharf.server.storage.BlobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongFunction;

/**
 * Fetches the bytes of passive files the first time a client asks: one download per file on this node
 * however many clients ask at once (single flight); every client waits for the checked, stored file
 * and is then served it from the blob store like any other, so none ever gets a partial or unchecked
 * file. The download runs on a thread of its own, so it completes for the others when the client that
 * started it goes away.
 */
public final class PassiveFetcher implements AutoCloseable {
  private final JdbcMirrors rows;
  private final LongFunction<Upstream> upstreams;
  private final PackageStore store;
  private final BlobStore blobs;
  private final Path tmp;
  private final Duration wait;
  private final Map<String, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "wharf-passive-fetch");
    t.setDaemon(true);
    return t;
  });

  PassiveFetcher(JdbcMirrors rows, LongFunction<Upstream> upstreams, PackageStore store, BlobStore blobs, Path tmp,
      Duration wait) {
    this.rows = rows;
    this.upstreams = upstreams;
    this.store = store;
    this.blobs = blobs;
    this.tmp = tmp;
    this.wait = wait;
  }

  /**
   * Returns once the bytes with this SHA-256 are stored. Throws 404 {@code file_unavailable} when no
   * mirror knows where to fetch them, 502/504 when the upstream fails, 502 {@code upstream_mismatch} when
   * what it sent is not the recorded file.
   */
  public void fetch(String sha256) {
    CompletableFuture<Void> mine = new CompletableFuture<>();
    CompletableFuture<Void> flight = inFlight.putIfAbsent(sha256, mine);
    if (flight == null) {
      flight = mine;
      pool.execute(() -> {
        try {
          download(sha256);
          mine.complete(null);
        } catch (Throwable t) {
          mine.completeExceptionally(t);
        } finally {
          inFlight.remove(sha256, mine);
        }
      });
    }
    try {
      flight.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new WharfException(WharfException.Kind.GATEWAY_TIMEOUT, "upstream_timeout",
          "the file is still being fetched from upstream after " + wait.toSeconds() + " s; try again", null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WharfException(WharfException.Kind.UNAVAILABLE, "interrupted", "the server is stopping", null);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof WharfException w) {
        throw w;
      }
      throw new WharfException(WharfException.Kind.BAD_GATEWAY, "upstream_fetch_failed",
          "fetching the file from upstream failed: " + e.getCause(), null);
    }
  }

  private void download(String sha256) throws IOException {
    String key = PackageStore.blobKey(sha256);
    List<JdbcMirrors.PassiveSource> sources = rows.passiveSources(sha256);
    if (blobs.size(key).isPresent()) { // stored meanwhile (another node, an upload of the same bytes)
      rows.removePassive(sha256);
      return;
    }
    if (sources.isEmpty()) {
      throw WharfException.notFound("file_unavailable", "the bytes of this file are not stored here and no mirror"
          + " says where to fetch them");
    }
    WharfException last = null;
    for (JdbcMirrors.PassiveSource s : sources) {
      Path file = Files.createTempFile(tmp, "passive-", ".part");
      try {
        upstreams.apply(s.mirrorId()).download(s.url(), sha256, s.size(), file);
        store.fill(sha256, file);
        rows.removePassive(sha256);
        return;
      } catch (WharfException e) {
        last = e; // another mirror may have the same bytes
      } catch (UncheckedIOException e) {
        throw e.getCause();
      } finally {
        Files.deleteIfExists(file);
      }
    }
    throw last;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
