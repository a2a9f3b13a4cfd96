package io.wharf.server.pkg;

import io.wharf.conda.archive.ReadLimits;
import io.wharf.conda.pkg.PackageFilename;
import io.wharf.server.channel.Channel;
import io.wharf.server.channel.ChannelNames;
import io.wharf.server.channel.ChannelService;
import io.wharf.server.error.WharfException;
import io.wharf.server.history.Actor;
import io.wharf.server.storage.BlobSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Bulk import: many package files of one channel in one tar stream whose entries are named
 * {@code <subdir>/<filename>}, the layout of a conda-index channel directory. The request thread reads
 * and spools the entries in order; a small pool reads their {@code info/} in parallel (the same
 * {@link PackageInspection} as an upload); the import's {@link ImportCommitter} stores what passed in
 * batches through {@link PackageStore#storeAll}, so a batch costs one transaction and one round of disk
 * flushes.
 * Every file gets an {@link Outcome}; a refused file does not stop the others. A file already present
 * with the same bytes is skipped, so running an interrupted import again finishes it.
 *
 * <p>Bounded: entries per import ({@link #MAX_ENTRIES}), bytes per file (the upload limit), spooled
 * files and bytes waiting for inspection or commit ({@link InFlight}), and imports running at once.
 */
public final class ImportService implements AutoCloseable {
  public static final int MAX_ENTRIES = 10_000;
  static final int BATCH = 256;
  private static final int MAX_IMPORTS = 2;
  private static final int IN_FLIGHT_FILES = 512;
  private static final long IN_FLIGHT_BYTES = 256L * 1024 * 1024;
  /** Files up to this size are held in memory rather than spooled (within the in-flight bytes bound). */
  static final long IN_MEMORY_MAX = 1024 * 1024;

  public enum Status { IMPORTED, SKIPPED, REFUSED }

  /** What became of one entry; {@code path} is {@code <subdir>/<filename>} (or the entry name as sent). */
  public record Outcome(String path, Status status, String code, String message) {
    static Outcome refused(String path, WharfException e) {
      return new Outcome(path, Status.REFUSED, e.code(), e.getMessage());
    }
  }

  /**
   * The tally of one import. {@code failure} is null when the whole stream was read, else why it
   * stopped early (files read before that were still imported); {@code seqs} are the change-log
   * entries its commits wrote, for read-your-writes.
   */
  public record Summary(int imported, int skipped, int refused, java.util.Set<Long> seqs, WharfException failure) {}

  private final ChannelService channels;
  private final PackageStore store;
  private final Path spoolDir;
  private final long maxBytes;
  private final PackageInspection inspection = new PackageInspection(ReadLimits.defaults());
  private final ExecutorService inspectors;
  private final ExecutorService committers;
  private final Semaphore running = new Semaphore(MAX_IMPORTS);

  public ImportService(ChannelService channels, PackageStore store, Path spoolDir, long maxBytes) {
    this.channels = channels;
    this.store = store;
    this.spoolDir = spoolDir;
    this.maxBytes = maxBytes;
    int threads = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
    this.inspectors = Executors.newFixedThreadPool(threads, daemon("wharf-import-inspect-"));
    this.committers = Executors.newCachedThreadPool(daemon("wharf-import-commit-"));
  }

  /**
   * Checks everything that needs no body (channel, label, a free import slot), so that a refusal is an
   * ordinary error answer; the returned run must be closed.
   */
  public Run start(String channelName, String label, Actor actor) {
    Channel channel = channels.require(channelName);
    String lbl = ChannelNames.requireLabel(label);
    if (!running.tryAcquire()) {
      throw new WharfException(WharfException.Kind.UNAVAILABLE, "import_busy",
          MAX_IMPORTS + " imports are running already; try again when one has finished", java.util.Map.of());
    }
    return new Run(channel, lbl, actor);
  }

  /** One import into one channel location. */
  public final class Run implements AutoCloseable {
    private final Channel channel;
    private final String label;
    private boolean closed;

    private final Actor actor;

    private Run(Channel channel, String label, Actor actor) {
      this.actor = actor;
      this.channel = channel;
      this.label = label;
    }

    /**
     * Reads the tar stream to its end and imports its files, handing each outcome to {@code sink} (from
     * one thread at a time) as it is known.
     *
     * @throws WharfException invalid_tar when the body does not even start as a tar stream; nothing
     *     was handed to {@code sink} then
     */
    public Summary importTar(InputStream body, Consumer<Outcome> sink) {
      TarArchiveInputStream tar = new TarArchiveInputStream(body);
      TarArchiveEntry first;
      try {
        first = tar.getNextEntry();
      } catch (IOException e) {
        throw WharfException.invalid("invalid_tar", "the body is not a tar stream: " + e.getMessage());
      }
      try {
        Files.createDirectories(spoolDir);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("cannot create the spool directory " + spoolDir, e);
      }
      ImportCommitter committer = new ImportCommitter(store, channel, sink, actor);
      List<Future<?>> committing = new ArrayList<>();
      for (int i = 0; i < ImportCommitter.WORKERS; i++) {
        committing.add(committers.submit(committer));
      }
      InFlight inFlight = new InFlight(IN_FLIGHT_FILES, IN_FLIGHT_BYTES);
      List<Future<?>> inspecting = new ArrayList<>();
      WharfException failure = null;
      try {
        int entries = 0;
        for (TarArchiveEntry e = first; e != null; e = tar.getNextEntry()) {
          if (e.isDirectory()) {
            continue;
          }
          if (++entries > MAX_ENTRIES) {
            failure = WharfException.invalid("too_many_entries", "an import takes at most " + MAX_ENTRIES
                + " files; the rest of the stream was not read (send them in another import)");
            break;
          }
          read(tar, e, inFlight, committer, inspecting);
        }
      } catch (IOException e) {
        failure = WharfException.invalid("incomplete_body", "the stream ended early or broke off ("
            + e.getMessage() + "); the files read before that were imported, and an import of the same"
            + " files again skips them");
      } finally {
        awaitAll(inspecting);
        committer.finish();
        awaitAll(committing);
      }
      return committer.summary(failure);
    }

    private void read(TarArchiveInputStream tar, TarArchiveEntry e, InFlight inFlight, ImportCommitter committer,
        List<Future<?>> inspecting) throws IOException {
      String path = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
      String[] parts = path.split("/", -1);
      if (!e.isFile() || parts.length != 2 || parts[0].isEmpty()) {
        committer.refuse(new Outcome(path, Status.REFUSED, "invalid_entry",
            "entries must be regular files named <subdir>/<filename>"));
        return;
      }
      PackageFilename fn;
      try {
        fn = PackageInspection.parseFilename(parts[1]);
      } catch (WharfException w) {
        committer.refuse(Outcome.refused(path, w));
        return;
      }
      if (e.getSize() > maxBytes) {
        committer.refuse(new Outcome(path, Status.REFUSED, "too_large",
            path + " is larger than the limit of " + maxBytes + " bytes"));
        return; // the tar stream skips its bytes
      }
      inFlight.acquire(e.getSize());
      Runnable done = () -> inFlight.release(e.getSize());
      BlobSource content;
      Spooled spooled;
      if (e.getSize() <= IN_MEMORY_MAX) {
        // most packages of a channel are small: held in memory they cost no spool file to create, read
        // back and delete, which on a busy disk costs more than the rest of their import
        byte[] bytes;
        try {
          bytes = tar.readNBytes((int) e.getSize());
        } catch (IOException | RuntimeException x) {
          done.run();
          throw x;
        }
        content = BlobSource.of(bytes);
        spooled = Spooled.of(bytes);
      } else {
        // named like upload spool files, so a crash leaves nothing that the next start does not remove
        Path spool = Files.createTempFile(spoolDir, "upload-import-", ".part");
        try {
          spooled = Spooled.copy(tar, spool, maxBytes);
        } catch (IOException | RuntimeException x) {
          Files.deleteIfExists(spool);
          done.run();
          throw x;
        }
        content = BlobSource.of(spool);
      }
      inspecting.add(inspectors.submit(() -> inspect(path, parts[0], fn, content, spooled, committer, done)));
    }

    private void inspect(String path, String dir, PackageFilename fn, BlobSource content, Spooled spooled,
        ImportCommitter committer, Runnable done) {
      try {
        NewPackageFile row = inspection.inspect(channel.id(), label, fn, content, spooled);
        if (!row.subdir().equals(dir)) {
          throw WharfException.invalid("subdir_mismatch", path + " is under " + dir
              + "/ but its info/index.json puts it in " + row.subdir());
        }
        committer.offer(new PackageStore.Item(row, content), path, done);
        return;
      } catch (WharfException w) {
        committer.refuse(Outcome.refused(path, w));
      } catch (IOException | RuntimeException x) {
        committer.refuse(new Outcome(path, Status.REFUSED, "unreadable", path + ": " + x.getMessage()));
      }
      ImportCommitter.delete(content);
      done.run();
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        running.release();
      }
    }
  }

  private static void awaitAll(List<Future<?>> futures) {
    futures.forEach(ImportService::await);
  }

  private static void await(Future<?> f) {
    boolean interrupted = false;
    while (true) {
      try {
        f.get();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // the spool files and the in-flight budget are released only once it ends
      } catch (ExecutionException e) {
        throw new IllegalStateException("import step failed", e.getCause());
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void close() {
    inspectors.shutdownNow();
    committers.shutdownNow();
  }
}
