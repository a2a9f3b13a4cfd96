package io.wharf.server.channel;

import io.wharf.server.events.ChannelChanged;
import io.wharf.server.events.ChannelRemoved;
import io.wharf.server.events.Events;
import io.wharf.server.events.PackageRemoved;
import io.wharf.server.events.PackageStored;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices changes made by other nodes sharing the database. Every change to a channel's files raises
 * the channel's revision in the same transaction; this watcher reads all revisions at a fixed interval
 * (one small query) and publishes {@link ChannelChanged} for channels whose revision moved or that are
 * new since the last check, and {@link ChannelRemoved} for channels that are gone, so in-memory indexes
 * are rebuilt from the rows.
 * Changes this process made itself are recognised by their revisions (carried by the local events)
 * and cause no second invalidation, so a single node does not rebuild anything twice.
 */
public final class ChannelChangeWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChannelChangeWatcher.class);

  private final ChannelRepository channels;
  private final Events events;
  private Map<Long, Long> seen;
  // Revisions this process wrote, per channel, not yet passed by a check: a check that finds only
  // these needs no event, because the local events already said exactly what changed.
  private final Map<Long, Set<Long>> local = new ConcurrentHashMap<>();
  private ScheduledExecutorService timer;

  public ChannelChangeWatcher(ChannelRepository channels, Events events) {
    this.channels = Objects.requireNonNull(channels, "channels");
    this.events = Objects.requireNonNull(events, "events");
    this.seen = channels.revisions();
    events.subscribe(PackageStored.class, e -> wroteLocally(e.channelId(), e.revision()));
    events.subscribe(PackageRemoved.class, e -> wroteLocally(e.channelId(), e.revision()));
  }

  private void wroteLocally(long channelId, long revision) {
    local.computeIfAbsent(channelId, k -> ConcurrentHashMap.newKeySet()).add(revision);
  }

  /** Whether every revision after {@code before} up to {@code now} was written by this process. */
  private boolean allLocal(long channelId, long before, long now) {
    Set<Long> mine = local.getOrDefault(channelId, Set.of());
    for (long r = before + 1; r <= now; r++) {
      if (!mine.contains(r)) {
        return false;
      }
    }
    return true;
  }

  /** Compares the revisions with the previous check and publishes the differences; returns how many. */
  public synchronized int check() {
    Map<Long, Long> now = channels.revisions();
    int changes = 0;
    for (Map.Entry<Long, Long> before : seen.entrySet()) {
      Long revision = now.get(before.getKey());
      if (revision == null) {
        events.publish(new ChannelRemoved(before.getKey(), null));
        changes++;
      } else if (!revision.equals(before.getValue())
          && !allLocal(before.getKey(), before.getValue(), revision)) {
        events.publish(new ChannelChanged(before.getKey()));
        changes++;
      }
    }
    for (Long id : now.keySet()) {
      if (!seen.containsKey(id)) {
        // New since the last check: this node may already have read and cached it before a later change.
        events.publish(new ChannelChanged(id));
        changes++;
      }
    }
    seen = now;
    // Local revisions at or below what was just read are accounted for; keep only newer ones (an event
    // may arrive after the check that read its revision, and must not be mistaken for a later one).
    local.forEach((channelId, revisions) -> {
      Long read = now.get(channelId);
      if (read == null) {
        local.remove(channelId);
      } else {
        revisions.removeIf(r -> r <= read);
      }
    });
    return changes;
  }

  /** Checks every {@code interval} on a daemon thread until {@link #close()}. */
  public synchronized ChannelChangeWatcher start(Duration interval) {
    if (timer != null) {
      throw new IllegalStateException("already started");
    }
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "wharf-channel-changes");
      t.setDaemon(true);
      return t;
    });
    long ms = Math.max(1, interval.toMillis());
    timer.scheduleWithFixedDelay(() -> {
      try {
        check();
      } catch (RuntimeException e) {
        // A database that is briefly away must not end the checks; the next one catches up.
        LOG.warn("could not read channel revisions: {}", e.getMessage());
      }
    }, ms, ms, TimeUnit.MILLISECONDS);
    return this;
  }

  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
  }
}
