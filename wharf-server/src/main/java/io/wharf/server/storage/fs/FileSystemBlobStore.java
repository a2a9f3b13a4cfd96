package io.wharf.server.storage.fs;

import io.wharf.server.storage.BlobKeys;
import io.wharf.server.storage.BlobNotFoundException;
import io.wharf.server.storage.BlobSource;
import io.wharf.server.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Blobs as plain files under one root directory, the key being the relative path. Uploads are copied
 * into this process's own directory under {@code root/.tmp} ({@link TempArea}), forced to disk and
 * renamed into place, so a reader sees either the old file, the complete new one, or nothing; what a
 * killed process left half-copied there is removed when the next store opens. Symbolic links are never
 * followed out of the root.
 */
public final class FileSystemBlobStore implements BlobStore {

  /** Loose temporary files (of versions before {@link TempArea}) older than this are leftovers of a crash. */
  static final Duration STALE_TEMP_AGE = TempArea.STALE_AGE;

  private static final int MOVE_ATTEMPTS = 3;

  private final Path root;
  private final Path tmp;
  private final TempArea temp;
  private final ParallelSync sync = new ParallelSync();

  public FileSystemBlobStore(Path root) throws IOException {
    Files.createDirectories(root);
    this.root = root.toRealPath();
    this.tmp = this.root.resolve(BlobKeys.RESERVED_SEGMENT);
    this.temp = TempArea.open(tmp);
  }

  public Path root() {
    return root;
  }

  @Override
  public void put(String key, Path source) throws IOException {
    Path target = pathOf(key);
    Path part = temp.newFile("put-", ".part");
    try {
      copyAndSync(source, part);
      moveIntoPlace(part, target);
    } finally {
      Files.deleteIfExists(part);
    }
  }

  @Override
  public void put(String key, BlobSource source) throws IOException {
    if (source instanceof BlobSource.OfFile f) {
      put(key, f.path());
      return;
    }
    Path target = pathOf(key);
    Path part = temp.newFile("put-", ".part");
    try {
      write(source, part);
      ParallelSync.force(part);
      moveIntoPlace(part, target);
    } finally {
      Files.deleteIfExists(part);
    }
  }

  /**
   * Copies every source to a temporary file without waiting for the disk, forces them all at once
   * ({@link ParallelSync}), renames them into place, and forces their directories the same way: the same
   * guarantees as one {@link #put} after another, for a fraction of the flushes.
   */
  @Override
  public void putAll(Map<String, BlobSource> puts) throws IOException {
    Map<Path, Path> targets = new LinkedHashMap<>();
    for (String key : puts.keySet()) {
      pathOf(key); // every key is checked before anything is written
    }
    try {
      for (Map.Entry<String, BlobSource> e : puts.entrySet()) {
        Path part = temp.newFile("put-", ".part");
        targets.put(part, pathOf(e.getKey()));
        write(e.getValue(), part);
      }
      sync.forceAll(targets.keySet());
      Set<Path> dirs = new LinkedHashSet<>();
      for (Map.Entry<Path, Path> e : targets.entrySet()) {
        move(e.getKey(), e.getValue());
        dirs.add(e.getValue().getParent());
      }
      sync.forceAll(dirs);
    } finally {
      for (Path part : targets.keySet()) {
        Files.deleteIfExists(part);
      }
    }
  }

  @Override
  public Optional<Long> size(String key) throws IOException {
    Path path = pathOf(key);
    return regularFileAttributes(path).map(BasicFileAttributes::size);
  }

  @Override
  public Optional<java.time.Instant> modified(String key) throws IOException {
    return regularFileAttributes(pathOf(key)).map(a -> a.lastModifiedTime().toInstant());
  }

  @Override
  public Optional<Path> localFile(String key) throws IOException {
    Path path = pathOf(key);
    return regularFileAttributes(path).map(a -> path);
  }

  @Override
  public InputStream open(String key) throws IOException {
    return Channels.newInputStream(openChannel(key));
  }

  @Override
  public InputStream openRange(String key, long offset, long length) throws IOException {
    BlobKeys.requireValidRange(offset, length);
    FileChannel channel = openChannel(key);
    try {
      long size = channel.size();
      if (offset + length > size) {
        throw BlobKeys.rangePastEnd(key, offset, length, size);
      }
      channel.position(offset);
      return new BoundedInputStream(Channels.newInputStream(channel), length);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  @Override
  public boolean delete(String key) throws IOException {
    Path path = pathOf(key);
    if (regularFileAttributes(path).isEmpty()) {
      return false;
    }
    boolean deleted = Files.deleteIfExists(path);
    pruneEmptyParents(path.getParent());
    return deleted;
  }

  @Override
  public List<String> list(String prefix) throws IOException {
    BlobKeys.requireValidPrefix(prefix);
    int slash = prefix.lastIndexOf('/');
    Path start = slash < 0 ? root : root.resolve(prefix.substring(0, slash));
    if (!Files.isDirectory(start, LinkOption.NOFOLLOW_LINKS)) {
      return List.of();
    }
    List<String> keys = new ArrayList<>();
    // walkFileTree does not follow links unless asked, so a link inside the root never leads outside it
    Files.walkFileTree(start, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        return dir.equals(tmp) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (attrs.isRegularFile()) {
          String key = keyOf(file);
          if (key.startsWith(prefix) && BlobKeys.isValid(key)) {
            keys.add(key);
          }
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        // a file deleted while we walk is simply not listed
        if (e instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE;
        }
        throw e;
      }
    });
    keys.sort(null);
    return keys;
  }

  @Override
  public void check() throws IOException {
    if (!Files.isDirectory(tmp, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException("blob directory " + root + " is missing");
    }
    Path probe = temp.newFile("check-", ".probe");
    Files.delete(probe);
  }

  @Override
  public void close() {
    temp.close();
    sync.close();
  }

  @Override
  public String toString() {
    return "FileSystemBlobStore[" + root + "]";
  }

  private Path pathOf(String key) {
    Path path = root.resolve(BlobKeys.requireValid(key));
    // BlobKeys already forbids "..", this only guards against a future change to it
    if (!path.normalize().startsWith(root) || path.startsWith(tmp)) {
      throw new IllegalArgumentException("blob key escapes the store: " + key);
    }
    return path;
  }

  private String keyOf(Path file) {
    return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
  }

  private FileChannel openChannel(String key) throws IOException {
    Path path = pathOf(key);
    if (regularFileAttributes(path).isEmpty()) {
      throw new BlobNotFoundException(key);
    }
    try {
      return FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      throw new BlobNotFoundException(key);
    }
  }

  private static Optional<BasicFileAttributes> regularFileAttributes(Path path) throws IOException {
    try {
      BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return attrs.isRegularFile() ? Optional.of(attrs) : Optional.empty();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (FileSystemException e) {
      // ENOTDIR surfaces as a bare FileSystemException: a parent segment of the key is a file,
      // so nothing can exist below it
      if (e.getClass() == FileSystemException.class) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static void copyAndSync(Path source, Path temp) throws IOException {
    copy(source, temp);
    ParallelSync.force(temp);
  }

  private static void write(BlobSource source, Path temp) throws IOException {
    if (source instanceof BlobSource.OfFile f) {
      copy(f.path(), temp);
    } else {
      Files.write(temp, ((BlobSource.OfBytes) source).bytes(), StandardOpenOption.TRUNCATE_EXISTING);
    }
  }

  private static void copy(Path source, Path temp) throws IOException {
    if (!Files.isRegularFile(source)) {
      throw new NoSuchFileException(source.toString(), null, "not a regular file");
    }
    try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
         FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      long size = in.size();
      long copied = 0;
      while (copied < size) {
        long n = in.transferTo(copied, size - copied, out);
        if (n <= 0) {
          throw new IOException("source " + source + " shrank while being copied");
        }
        copied += n;
      }
    }
  }

  private void moveIntoPlace(Path temp, Path target) throws IOException {
    move(temp, target);
    syncDirectory(target.getParent());
  }

  private static void move(Path temp, Path target) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        Files.createDirectories(target.getParent());
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        return;
      } catch (NoSuchFileException e) {
        // a concurrent delete pruned the parent directory between createDirectories and move
        if (attempt == MOVE_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /** The rename is durable only once the directory entry is on disk. */
  private static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (AccessDeniedException | UnsupportedOperationException e) {
      // some file systems cannot open or sync directories; the data itself was already forced
    }
  }

  private void pruneEmptyParents(Path dir) throws IOException {
    while (dir != null && !dir.equals(root) && dir.startsWith(root)) {
      try {
        Files.delete(dir);
      } catch (DirectoryNotEmptyException | NoSuchFileException e) {
        return;
      }
      dir = dir.getParent();
    }
  }
}
