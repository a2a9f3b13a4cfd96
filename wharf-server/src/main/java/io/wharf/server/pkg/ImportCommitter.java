package io.wharf.server.pkg;

import io.wharf.server.channel.Channel;
import io.wharf.server.error.WharfException;
import io.wharf.server.history.Actor;
import io.wharf.server.storage.BlobSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores the inspected files of one import and reports every outcome. Inspected files queue up while
 * a batch is being stored and form the next batch (at most {@link ImportService#BATCH}), so batches
 * grow by themselves when storing is the slow step and stay small when it is not. {@link #WORKERS}
 * threads run {@link #run} on the same queue, so one batch's disk flushes overlap another's database
 * work; outcomes reach the sink one at a time.
 */
final class ImportCommitter implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ImportCommitter.class);
  private static final Object END = new Object();
  static final int WORKERS = 2;

  private record Pending(PackageStore.Item item, String path, Runnable done) {}

  private final PackageStore store;
  private final Channel channel;
  private final Actor actor;
  private final Consumer<ImportService.Outcome> sink;
  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private int imported;
  private int skipped;
  private int refused;
  private final java.util.Set<Long> seqs = new java.util.HashSet<>();

  ImportCommitter(PackageStore store, Channel channel, Consumer<ImportService.Outcome> sink, Actor actor) {
    this.store = store;
    this.channel = channel;
    this.sink = sink;
    this.actor = actor;
  }

  void offer(PackageStore.Item item, String path, Runnable done) {
    queue.add(new Pending(item, path, done));
  }

  void refuse(ImportService.Outcome outcome) {
    queue.add(outcome);
  }

  /** Nothing more will be offered: each worker ends once the queue is drained. */
  void finish() {
    for (int i = 0; i < WORKERS; i++) {
      queue.add(END);
    }
  }

  @Override
  public void run() {
    List<Object> taken = new ArrayList<>();
    boolean ended = false;
    while (!ended) {
      taken.clear();
      try {
        taken.add(queue.take());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (taken.get(0) != END) {
        queue.drainTo(taken, ImportService.BATCH - 1);
      }
      List<Pending> batch = new ArrayList<>();
      for (Object o : taken) {
        if (o == END) {
          if (ended) {
            queue.add(END); // another worker's
          }
          ended = true;
        } else if (o instanceof ImportService.Outcome out) {
          report(out);
        } else {
          batch.add((Pending) o);
        }
      }
      if (!batch.isEmpty()) {
        store(batch);
      }
    }
  }

  private void store(List<Pending> batch) {
    try {
      List<PackageStore.Result> results = store.storeAll(channel, batch.stream().map(Pending::item).toList(), actor);
      for (int i = 0; i < results.size(); i++) {
        report(outcome(batch.get(i).path(), results.get(i)));
      }
    } catch (IOException | RuntimeException e) {
      LOG.error("import into channel {}: storing a batch of {} files failed", channel.name(), batch.size(), e);
      for (Pending p : batch) {
        report(new ImportService.Outcome(p.path(), ImportService.Status.REFUSED, "store_failed",
            "storing failed: " + e.getMessage()));
      }
    } finally {
      for (Pending p : batch) {
        delete(p.item().content());
        p.done().run();
      }
    }
  }

  private ImportService.Outcome outcome(String path, PackageStore.Result r) {
    return switch (r.fate()) {
      case STORED -> {
        synchronized (this) {
          seqs.add(r.stored().seq());
        }
        yield new ImportService.Outcome(path, ImportService.Status.IMPORTED, null, null);
      }
      case PRESENT -> present(path);
      case DIFFERS -> differs(path, r.existingSha256());
    };
  }

  /** The outcome of a file that is already there with the same bytes. */
  static ImportService.Outcome present(String path) {
    return new ImportService.Outcome(path, ImportService.Status.SKIPPED, "present",
        "already present with the same sha256");
  }

  /** The outcome of a file whose location holds other bytes. */
  ImportService.Outcome differs(String path, String existingSha256) {
    return new ImportService.Outcome(path, ImportService.Status.REFUSED, "file_exists",
        path + " already exists in " + channel.name() + " with other content (sha256 " + existingSha256
            + "); delete it first to import this one");
  }

  private synchronized void report(ImportService.Outcome out) {
    switch (out.status()) {
      case IMPORTED -> imported++;
      case SKIPPED -> skipped++;
      case REFUSED -> refused++;
    }
    try {
      sink.accept(out);
    } catch (RuntimeException e) {
      LOG.debug("import outcome not delivered: {}", e.getMessage());
    }
  }

  /** Read once the workers have ended. */
  synchronized ImportService.Summary summary(WharfException failure) {
    return new ImportService.Summary(imported, skipped, refused, Set.copyOf(seqs), failure);
  }

  /** Removes the spool file behind {@code content}, if it has one. */
  static void delete(BlobSource content) {
    if (!(content instanceof BlobSource.OfFile f)) {
      return;
    }
    Path spool = f.path();
    try {
      Files.deleteIfExists(spool);
    } catch (IOException e) {
      LOG.warn("spool file {} not removed: {}", spool, e.getMessage());
    }
  }
}
