package io.wharf.server.storage.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Forces many files to disk at once. One fsync after another each waits for its own journal commit and
 * device flush (milliseconds each on a virtual disk); issued together from several threads they share
 * them, so a batch of small files costs a few flushes instead of one per file.
 */
final class ParallelSync implements AutoCloseable {
  private static final int THREADS = 16;

  private final ThreadPoolExecutor pool;

  ParallelSync() {
    AtomicInteger n = new AtomicInteger();
    pool = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "wharf-blob-sync-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    pool.allowCoreThreadTimeOut(true);
  }

  /** Returns once every path (files or directories) is forced; the first failure is thrown after all ended. */
  void forceAll(Collection<Path> paths) throws IOException {
    List<Future<?>> pending = new ArrayList<>(paths.size());
    for (Path p : paths) {
      pending.add(pool.submit(() -> {
        force(p);
        return null;
      }));
    }
    IOException failure = null;
    for (Future<?> f : pending) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while forcing files to disk", e);
      } catch (ExecutionException e) {
        if (failure == null) {
          failure = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  static void force(Path p) throws IOException {
    try (FileChannel channel = FileChannel.open(p, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (AccessDeniedException | UnsupportedOperationException e) {
      // some file systems cannot open or sync directories (FileSystemBlobStore.syncDirectory); a file must sync
      if (!Files.isDirectory(p)) {
        throw e;
      }
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
