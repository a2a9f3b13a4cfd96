package io.wharf.server.storage.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Where a file store writes blobs before renaming them into place: a directory of its own under the
 * store's {@code .tmp}, next to a lock file that the process holds for as long as the store is open.
 * The operating system drops that lock when the process ends, however it ends (SIGKILL included), so
 * a store opening later — on this node or on another one sharing the directory — can tell the
 * half-written files of a dead process from those of a live one, and removes the dead ones at once.
 * Where locks are not available, and for loose files of older versions, only leftovers older than
 * {@link #STALE_AGE} are removed.
 */
final class TempArea implements AutoCloseable {
  /** Temporary files older than this are leftovers of a crash, not uploads in progress. */
  static final Duration STALE_AGE = Duration.ofDays(1);
  static final String LOCK = "lock";
  private static final String STAGING = ".new";
  /** A directory being set up by a live process spends microseconds as {@code <id>.new}. */
  private static final Duration STAGING_AGE = Duration.ofMinutes(1);
  /** Areas open in this JVM: never probed, since closing a probe's channel would drop their lock. */
  private static final Set<String> OPEN_HERE = ConcurrentHashMap.newKeySet();

  private final Path dir;
  private final String id;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private TempArea(Path dir, String id, FileChannel lockChannel, FileLock lock) {
    this.dir = dir;
    this.id = id;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /** Opens a new area under {@code root} (the store's .tmp) and removes what dead processes left there. */
  static TempArea open(Path root) throws IOException {
    Files.createDirectories(root);
    String id = UUID.randomUUID().toString();
    OPEN_HERE.add(id);
    // Locked before it gets its final name, so nobody ever sees this area without its lock held.
    Path staging = Files.createDirectory(root.resolve(id + STAGING));
    FileChannel channel = FileChannel.open(staging.resolve(LOCK), StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (IOException | UnsupportedOperationException noLocks) {
      lock = null;
    }
    Path dir = root.resolve(id);
    Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
    purge(root);
    return new TempArea(dir, id, channel, lock);
  }

  Path dir() {
    return dir;
  }

  Path newFile(String prefix, String suffix) throws IOException {
    try {
      return Files.createTempFile(dir, prefix, suffix);
    } catch (NoSuchFileException removed) {
      // someone removed the area under a running store (an operator cleaning up): make it again
      Files.createDirectories(dir);
      return Files.createTempFile(dir, prefix, suffix);
    }
  }

  private static void purge(Path root) throws IOException {
    Instant now = Instant.now();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        BasicFileAttributes attrs;
        try {
          attrs = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException gone) {
          continue;
        }
        if (attrs.isRegularFile()) {
          if (olderThan(attrs.lastModifiedTime(), now, STALE_AGE)) {
            Files.deleteIfExists(entry); // a loose file from a version before areas
          }
          continue;
        }
        if (!attrs.isDirectory() || OPEN_HERE.contains(name.replace(STAGING, ""))) {
          continue;
        }
        if (name.endsWith(STAGING) && !olderThan(attrs.lastModifiedTime(), now, STAGING_AGE)) {
          continue;
        }
        removeIfOwnerGone(entry, attrs, now);
      }
    }
  }

  /** Takes the area's lock: if that works its process is gone, and the area goes while the lock is held. */
  private static void removeIfOwnerGone(Path area, BasicFileAttributes attrs, Instant now) throws IOException {
    Path lockFile = area.resolve(LOCK);
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
      FileLock probe = ch.tryLock();
      if (probe == null) {
        return; // a live process holds it
      }
      deleteTree(area);
    } catch (OverlappingFileLockException heldHere) {
      // open in this JVM after all
    } catch (NoSuchFileException noLockFile) {
      if (olderThan(attrs.lastModifiedTime(), now, STALE_AGE)) {
        deleteTree(area);
      }
    } catch (IOException | UnsupportedOperationException noLocks) {
      if (olderThan(newest(area), now, STALE_AGE)) {
        deleteTree(area);
      }
    }
  }

  private static boolean olderThan(FileTime t, Instant now, Duration age) {
    return t.toInstant().isBefore(now.minus(age));
  }

  private static FileTime newest(Path area) throws IOException {
    try (Stream<Path> files = Files.walk(area)) {
      return files.map(p -> {
        try {
          return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
          return FileTime.from(Instant.now());
        }
      }).max(Comparator.naturalOrder()).orElse(FileTime.from(Instant.now()));
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (NoSuchFileException alreadyGone) {
      // another node removed it first
    }
  }

  @Override
  public void close() {
    try {
      deleteTree(dir);
    } catch (IOException ignored) {
      // left for the next store that opens here: this process is gone by then
    }
    try {
      if (lock != null) {
        lock.release();
      }
      lockChannel.close();
    } catch (IOException ignored) {
      // the lock goes with the process in any case
    }
    OPEN_HERE.remove(id);
  }
}
