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
import java.util.Map;
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
 * Bulk import: many package files of one channel, from a tar stream whose entries are named
 * {@code <subdir>/<filename>} (the layout of a conda-index channel directory), or from such a directory
 * on this machine, read by the server itself ({@link Run#importDirectory}, only below
 * {@code import.directories}). The request thread reads the files in order and holds or spools them; a
 * small pool checksums them and reads their {@code info/} in parallel (the same {@link PackageInspection}
 * as an upload); the import's {@link ImportCommitter} stores what passed in batches through
 * {@link PackageStore#storeAll}, so a batch costs one transaction and one round of disk flushes.
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
  /** File names of a directory import sorted at a time (a conda-forge subdir holds about 700,000). */
  private static final int SORTED_SLICE = 100_000;
  /** File names of a directory import looked up in the channel at a time. */
  private static final int LOOKUP_SLICE = 500;

  public enum Status { IMPORTED, SKIPPED, REFUSED }

  private static final WharfException STOPPED = WharfException.invalid("import_stopped", "the client went away, so"
      + " the import stopped; the files read before that were imported, and the same import again skips them");

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
  private final List<Path> importDirectories;

  public ImportService(ChannelService channels, PackageStore store, Path spoolDir, long maxBytes,
      List<Path> importDirectories) {
    this.importDirectories = List.copyOf(importDirectories);
    this.channels = channels;
    this.store = store;
    this.spoolDir = spoolDir;
    this.maxBytes = maxBytes;
    int threads = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
    this.inspectors = Executors.newFixedThreadPool(threads, daemon("wharf-import-inspect-"));
    this.committers = Executors.newCachedThreadPool(daemon("wharf-import-commit-"));
  }

  /**
   * The directory a server-side import names, checked before anything is read: absolute, an existing
   * directory, and, with every link in it resolved, inside one of {@code import.directories}. Returns that
   * resolved path; the files below it are then read without following any link.
   */
  public Path allowedDirectory(String directory) {
    if (importDirectories.isEmpty()) {
      throw new WharfException(WharfException.Kind.FORBIDDEN, "directory_import_off",
          "this server imports from its own disk only below the directories set in import.directories"
              + " (WHARF_IMPORT_DIRECTORIES), and none is set; send the files instead (wharf import without"
              + " --on-server)", java.util.Map.of());
    }
    if (directory == null || directory.isBlank()) {
      throw WharfException.invalid("missing_field", "the request body needs 'directory', an absolute path on the"
          + " server's machine");
    }
    Path asked;
    try {
      asked = Path.of(directory);
    } catch (java.nio.file.InvalidPathException e) {
      throw WharfException.invalid("invalid_directory", "'" + directory + "' is not a path: " + e.getReason());
    }
    if (!asked.isAbsolute()) {
      throw WharfException.invalid("invalid_directory", "'" + directory + "' is not an absolute path");
    }
    Path real;
    try {
      real = asked.toRealPath();
    } catch (IOException e) {
      throw WharfException.notFound("no_such_directory", "the server finds no directory " + directory);
    }
    if (!Files.isDirectory(real)) {
      throw WharfException.invalid("invalid_directory", directory + " is not a directory");
    }
    for (Path root : importDirectories) {
      try {
        if (real.startsWith(root.toRealPath())) {
          return real;
        }
      } catch (IOException e) {
        // a configured directory that does not exist (yet) allows nothing
      }
    }
    throw new WharfException(WharfException.Kind.FORBIDDEN, "directory_not_allowed", directory
        + (real.equals(asked) ? "" : " (" + real + " once its links are resolved)")
        + " is not below a directory this server imports from: " + importDirectories, java.util.Map.of());
  }

  /**
   * Checks everything that needs no body (channel, label, a free import slot), so that a refusal is an
   * ordinary error answer; the returned run must be closed.
   */
  public Run start(String channelName, String label, Actor actor) {
    Target at = target(channelName, label);
    if (!running.tryAcquire()) {
      throw new WharfException(WharfException.Kind.UNAVAILABLE, "import_busy",
          MAX_IMPORTS + " imports are running already; try again when one has finished", java.util.Map.of());
    }
    return new Run(at.channel(), at.label(), actor);
  }

  /** Where an import writes: a channel, and a label within it (null: the channel's own packages). */
  public record Target(Channel channel, String label) {}

  /** Where an import into {@code channelName} under {@code label} writes; refuses either when invalid. */
  public Target target(String channelName, String label) {
    return new Target(channels.require(channelName), ChannelNames.requireLabel(label));
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

    /** The channel this run imports into. */
    public Channel channel() {
      return channel;
    }

    /** The label this run imports under. */
    public String label() {
      return label;
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
      Steps steps = new Steps(sink);
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
          String path = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
          String[] parts = path.split("/", -1);
          if (!e.isFile() || parts.length != 2 || parts[0].isEmpty()) {
            steps.committer.refuse(new Outcome(path, Status.REFUSED, "invalid_entry",
                "entries must be regular files named <subdir>/<filename>"));
            continue;
          }
          // a refused entry's bytes are skipped by the tar stream
          read(path, parts[0], parts[1], e.getSize(), tar, steps);
        }
      } catch (IOException e) {
        failure = WharfException.invalid("incomplete_body", "the stream ended early or broke off ("
            + e.getMessage() + "); the files read before that were imported, and an import of the same"
            + " files again skips them");
      } finally {
        steps.end();
      }
      return steps.committer.summary(failure);
    }

    /**
     * Imports the package files of a channel directory on this machine, {@code dir/<subdir>/*.conda} and
     * {@code *.tar.bz2}, {@code dir} being what {@link #allowedDirectory} returned. Nothing below it is
     * followed that is a link: a linked subdir is not read, a linked package file is refused. Files are
     * listed as they are read, so no bound on their number is needed; {@code total} first gets how many
     * package files there are. {@code goOn} is asked before each file is read: it may wait (for a slow
     * reader of the outcomes) and, by answering false, end the import there (files read before are kept).
     */
    public Summary importDirectory(Path dir, java.util.function.IntConsumer total, Consumer<Outcome> sink,
        java.util.function.BooleanSupplier goOn) {
      List<Path> subdirs = subdirectories(dir);
      total.accept(countPackageFiles(subdirs));
      Steps steps = new Steps(sink);
      WharfException failure = null;
      try {
        for (Path sub : subdirs) {
          if (steps.stopped) {
            failure = STOPPED;
            break;
          }
          String subdir = sub.getFileName().toString();
          try (java.nio.file.DirectoryStream<Path> files = Files.newDirectoryStream(sub)) {
            // in name order, as a directory lists them in no useful one: the files of one package name then
            // land in one batch, which the publisher and the search index then handle once rather than
            // once per file; a huge subdir is sorted a slice at a time, so memory stays bounded
            List<String> slice = new ArrayList<>();
            for (Path f : files) {
              if (steps.stopped) {
                break;
              }
              String name = f.getFileName().toString();
              if (isPackageName(name)) {
                slice.add(name);
              }
              if (slice.size() == SORTED_SLICE) {
                readSorted(sub, subdir, slice, steps, goOn);
              }
            }
            readSorted(sub, subdir, slice, steps, goOn);
          } catch (IOException | java.nio.file.DirectoryIteratorException e) {
            failure = WharfException.invalid("unreadable_directory", "listing " + sub + " failed (" + e.getMessage()
                + "); the files read before that were imported, and the same import again skips them");
            break;
          }
        }
      } finally {
        steps.end();
      }
      return steps.committer.summary(failure == null && steps.stopped ? STOPPED : failure);
    }

    private void readSorted(Path sub, String subdir, List<String> names, Steps steps,
        java.util.function.BooleanSupplier goOn) {
      java.util.Collections.sort(names);
      for (int from = 0; from < names.size() && !steps.stopped; from += LOOKUP_SLICE) {
        List<String> slice = names.subList(from, Math.min(names.size(), from + LOOKUP_SLICE));
        // what the channel holds already is settled by its size and sha256 alone, as the CLI does before
        // sending: an import run again after an interruption does not inspect everything once more
        Map<String, PackageFileRepository.Located> there = new java.util.HashMap<>();
        store.locate(channel, label, subdir, slice).forEach(l -> there.put(l.filename(), l));
        for (String name : slice) {
          if (!goOn.getAsBoolean()) {
            steps.stopped = true;
            break;
          }
          PackageFileRepository.Located l = there.get(name);
          if (l == null || !settledAsThere(sub.resolve(name), subdir + "/" + name, l, steps)) {
            readFile(sub.resolve(name), subdir + "/" + name, subdir, name, steps);
          }
        }
      }
      names.clear();
    }

    /**
     * Settles a file whose location the channel holds: skipped when its bytes are the same, refused when
     * not. Returns false when it could not tell (the file is then read as any other, which reports why).
     */
    private boolean settledAsThere(Path f, String path, PackageFileRepository.Located there, Steps steps) {
      String sha256;
      // a link does not open, and is then refused as a link by readFile
      try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(f,
          java.nio.file.StandardOpenOption.READ, java.nio.file.LinkOption.NOFOLLOW_LINKS);
          InputStream in = java.nio.channels.Channels.newInputStream(ch)) {
        if (ch.size() != there.size()) {
          steps.committer.refuse(steps.committer.differs(path, there.sha256()));
          return true;
        }
        java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[64 * 1024];
        long left = there.size() + 1; // one byte more tells a file that grew
        for (int n; left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) != -1; left -= n) {
          md.update(buf, 0, n);
        }
        sha256 = java.util.HexFormat.of().formatHex(md.digest());
      } catch (IOException | java.security.NoSuchAlgorithmException e) {
        return false;
      }
      steps.committer.refuse(sha256.equals(there.sha256()) ? ImportCommitter.present(path)
          : steps.committer.differs(path, there.sha256()));
      return true;
    }

    private void readFile(Path f, String path, String subdir, String name, Steps steps) {
      java.nio.file.attribute.BasicFileAttributes a;
      try {
        a = Files.readAttributes(f, java.nio.file.attribute.BasicFileAttributes.class,
            java.nio.file.LinkOption.NOFOLLOW_LINKS);
      } catch (IOException e) {
        steps.committer.refuse(new Outcome(path, Status.REFUSED, "unreadable", path + ": " + e.getMessage()));
        return;
      }
      if (!a.isRegularFile()) {
        steps.committer.refuse(new Outcome(path, Status.REFUSED, "invalid_entry", path + " is not a regular file"
            + (a.isSymbolicLink() ? " but a link, and links are not followed" : "")));
        return;
      }
      // opened without following a link, in case the file was swapped for one since it was looked at
      try (InputStream in = Files.newInputStream(f, java.nio.file.StandardOpenOption.READ,
          java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        read(path, subdir, name, a.size(), in, steps);
      } catch (IOException e) {
        steps.committer.refuse(new Outcome(path, Status.REFUSED, "unreadable", path + ": " + e.getMessage()));
      }
    }

    /**
     * Reads one file of {@code size} bytes from {@code in} and hands it to the inspectors, or refuses it.
     * On an IOException nothing of it is left behind and the caller decides what the import does next.
     */
    private void read(String path, String subdir, String name, long size, InputStream in, Steps steps)
        throws IOException {
      ImportCommitter committer = steps.committer;
      PackageFilename fn;
      try {
        fn = PackageInspection.parseFilename(name);
      } catch (WharfException w) {
        committer.refuse(Outcome.refused(path, w));
        return;
      }
      if (size > maxBytes) {
        committer.refuse(tooLarge(path));
        return;
      }
      steps.inFlight.acquire(size);
      Runnable done = () -> steps.inFlight.release(size);
      BlobSource content;
      Spooled spooled;
      if (size <= IN_MEMORY_MAX) {
        // most packages of a channel are small: held in memory they cost no spool file to create, read
        // back and delete, which on a busy disk costs more than the rest of their import
        byte[] bytes;
        try {
          bytes = in.readNBytes((int) size);
        } catch (IOException | RuntimeException x) {
          done.run();
          throw x;
        }
        content = BlobSource.of(bytes);
        spooled = null; // checksummed by the inspector, beside the other files'
      } else {
        // named like upload spool files, so a crash leaves nothing that the next start does not remove
        Path spool = Files.createTempFile(spoolDir, "upload-import-", ".part");
        try {
          spooled = Spooled.copy(in, spool, maxBytes);
        } catch (IOException | RuntimeException x) {
          Files.deleteIfExists(spool);
          done.run();
          throw x;
        }
        if (spooled == null) { // a file that grew past the limit while it was read
          Files.deleteIfExists(spool);
          done.run();
          committer.refuse(tooLarge(path));
          return;
        }
        content = BlobSource.of(spool);
      }
      if (steps.inspecting.size() >= 4 * IN_FLIGHT_FILES) { // a directory import may read a million files
        steps.inspecting.removeIf(f -> f.isDone() && awaited(f));
      }
      steps.inspecting.add(inspectors.submit(() -> inspect(path, subdir, fn, content, spooled, committer, done)));
    }

    private Outcome tooLarge(String path) {
      return new Outcome(path, Status.REFUSED, "too_large", path + " is larger than the limit of " + maxBytes
          + " bytes");
    }

    private void inspect(String path, String dir, PackageFilename fn, BlobSource content, Spooled read,
        ImportCommitter committer, Runnable done) {
      try {
        Spooled spooled = read != null ? read : Spooled.of(((BlobSource.OfBytes) content).bytes());
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

    /** The committer, inspections and in-flight bound of one import; {@link #end} waits for all of it. */
    private final class Steps {
      final ImportCommitter committer;
      final List<Future<?>> committing = new ArrayList<>();
      final InFlight inFlight = new InFlight(IN_FLIGHT_FILES, IN_FLIGHT_BYTES);
      final List<Future<?>> inspecting = new ArrayList<>();
      /** Set when a directory import's reader of outcomes went away: the files not read yet are left. */
      boolean stopped;

      Steps(Consumer<Outcome> sink) {
        try {
          Files.createDirectories(spoolDir);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException("cannot create the spool directory " + spoolDir, e);
        }
        committer = new ImportCommitter(store, channel, sink, actor);
        for (int i = 0; i < ImportCommitter.WORKERS; i++) {
          committing.add(committers.submit(committer));
        }
      }

      void end() {
        awaitAll(inspecting);
        committer.finish();
        awaitAll(committing);
      }
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        running.release();
      }
    }
  }

  private static boolean isPackageName(String name) {
    return name.endsWith(".conda") || name.endsWith(".tar.bz2");
  }

  /** The subdirectories of a channel directory, in name order; one that is a link is not followed. */
  private static List<Path> subdirectories(Path dir) {
    try (java.util.stream.Stream<Path> entries = Files.list(dir)) {
      return entries.filter(p -> Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).sorted().toList();
    } catch (IOException e) {
      throw WharfException.invalid("unreadable_directory", "listing " + dir + " failed: " + e.getMessage());
    }
  }

  private static int countPackageFiles(List<Path> subdirs) {
    int n = 0;
    for (Path sub : subdirs) {
      try (java.nio.file.DirectoryStream<Path> files = Files.newDirectoryStream(sub)) {
        for (Path f : files) {
          n += isPackageName(f.getFileName().toString()) ? 1 : 0;
        }
      } catch (IOException | java.nio.file.DirectoryIteratorException e) {
        // the import itself reports it
      }
    }
    return n;
  }

  private static void awaitAll(List<Future<?>> futures) {
    futures.forEach(ImportService::await);
  }

  private static boolean awaited(Future<?> f) {
    await(f);
    return true;
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
