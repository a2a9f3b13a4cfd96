package io.wharf.server.changes;

import io.wharf.server.events.ChannelChanged;
import io.wharf.server.events.ChannelWritten;
import io.wharf.server.events.Events;
import io.wharf.server.events.FileBatch;
import io.wharf.server.events.PackageRemoved;
import io.wharf.server.events.PackageStored;
import io.wharf.server.events.RemoteFilesChanged;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies other nodes' changes, in log order: each entry this node did not write becomes an event
 * ({@link RemoteFilesChanged} or {@link ChannelChanged}). The log is read every interval, and at once
 * when PostgreSQL notifies.
 *
 * <p>Sequence numbers are handed out before commit, so a later number can become visible before an
 * earlier one. A number missing below the newest seen is kept as a hole and asked for again until it
 * appears or a minute has passed (a rolled-back transaction leaves a hole for ever).
 */
public final class ChangeFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeFollower.class);
  static final long HOLE_MILLIS = 60_000;
  private static final int BATCH = 5_000;
  private static final int MAX_HOLES = 10_000;
  private static final long PRUNE_AFTER_MILLIS = 24 * 60 * 60 * 1000L;

  private final ChangeSource log;
  private final Events events;
  private final Set<Long> local = ConcurrentHashMap.newKeySet();
  private final Map<Long, Long> holes = new LinkedHashMap<>();
  private long after;
  private volatile boolean closed;
  private Thread thread;
  private long lastPrune;

  public ChangeFollower(ChangeSource log, Events events, long nowMillis) {
    this.log = log;
    this.events = events;
    this.after = log.head();
    // Entries numbered just below the head may still be committing: watch them as holes for a while.
    long from = Math.max(0, after - 1_000);
    List<Long> present = log.present(from, after);
    int i = 0;
    for (long s = from + 1; s <= after; s++) {
      if (i < present.size() && present.get(i) == s) {
        i++;
      } else {
        holes.put(s, nowMillis);
      }
    }
    events.subscribe(PackageStored.class, e -> local.add(e.seq()));
    events.subscribe(PackageRemoved.class, e -> local.add(e.seq()));
    events.subscribe(ChannelWritten.class, e -> local.add(e.seq()));
    events.subscribe(io.wharf.server.events.PatchesChanged.class, e -> e.names().forEach(n -> local.add(n.seq())));
    events.subscribe(FileBatch.class, b -> {
      b.stored().forEach(e -> local.add(e.seq()));
      b.removed().forEach(e -> local.add(e.seq()));
    });
  }

  /** Reads what is new and publishes it; returns how many entries were applied. */
  public synchronized int poll(long nowMillis) {
    holes.values().removeIf(firstSeen -> nowMillis - firstSeen > HOLE_MILLIS);
    int applied = 0;
    while (true) {
      List<Change> changes = log.read(after, new ArrayList<>(holes.keySet()), BATCH);
      for (Change c : changes) {
        if (holes.remove(c.seq()) == null) {
          for (long s = after + 1; s < c.seq() && holes.size() < MAX_HOLES; s++) {
            holes.put(s, nowMillis);
          }
          after = Math.max(after, c.seq());
        }
        if (local.remove(c.seq())) {
          continue;
        }
        applied++;
        if (c.kind() == Change.Kind.FILES) {
          events.publish(new RemoteFilesChanged(c.channelId(), c.label(), c.subdir(), c.name()));
        } else {
          events.publish(new ChannelChanged(c.channelId()));
        }
      }
      if (changes.size() < BATCH) {
        break;
      }
    }
    local.removeIf(s -> s <= after && !holes.containsKey(s));
    if (nowMillis - lastPrune > 60 * 60 * 1000L) {
      lastPrune = nowMillis;
      log.prune(nowMillis - PRUNE_AFTER_MILLIS);
    }
    return applied;
  }

  /** Follows the log on a daemon thread until {@link #close()}. */
  public synchronized ChangeFollower start(long intervalMillis) {
    thread = new Thread(() -> {
      while (!closed) {
        try {
          log.await(intervalMillis);
          poll(System.currentTimeMillis());
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          // a database that is briefly away must not end the following; the next poll catches up
          LOG.warn("could not read the change log: {}", e.getMessage());
          try {
            Thread.sleep(intervalMillis);
          } catch (InterruptedException ie) {
            return;
          }
        }
      }
    }, "wharf-change-follower");
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  @Override
  public void close() {
    closed = true;
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
  }
}
