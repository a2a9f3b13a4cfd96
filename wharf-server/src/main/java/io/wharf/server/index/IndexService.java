package io.wharf.server.index;

import io.wharf.conda.pkg.Subdirs;
import io.wharf.server.channel.Channel;
import io.wharf.server.channel.ChannelNames;
import io.wharf.server.events.ChannelChanged;
import io.wharf.server.events.ChannelRemoved;
import io.wharf.server.events.RemoteFilesChanged;
import io.wharf.server.trust.RecordSigner;
import io.wharf.server.events.Events;
import io.wharf.server.events.FileBatch;
import io.wharf.server.events.PackageRemoved;
import io.wharf.server.events.PackageStored;
import io.wharf.server.index.store.SegmentFiles;
import io.wharf.server.pkg.PackageFile;
import io.wharf.server.pkg.PackageFileRepository;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Published channel metadata. One publisher thread applies changes (this node's, and other nodes'
 * from the change log) in batches: everything that arrived while the previous batch was being
 * published goes into the next one, and each changed package name costs work for that name only.
 * Readers never wait for a publication; they get the last published snapshot. Only the first request
 * for a subdir no node has published here yet waits while it is built from its rows.
 */
public final class IndexService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IndexService.class);
  private static final long BUILD_WAIT_SECONDS = 600;

  private final PackageFileRepository files;
  private final Clock clock;
  private final SegmentFiles segments;
  private final Path shardRoot;
  private final AtomicLong shardDirs = new AtomicLong();
  private final Map<Long, ChannelState> channels = new ConcurrentHashMap<>();
  private final Map<Location, SubdirState> subdirs = new ConcurrentHashMap<>();
  private final Map<Location, LabelChanneldata> channeldata = new ConcurrentHashMap<>();
  private final Object lock = new Object();
  private Map<Location, Set<String>> pendingNames = new HashMap<>();
  private Map<Location, CompletableFuture<Void>> pendingBuilds = new HashMap<>();
  private Map<Location, CompletableFuture<Void>> pendingChanneldata = new HashMap<>();
  private Set<Long> pendingForget = new HashSet<>();
  private Set<Long> pendingSeqs = new HashSet<>();
  private Set<Long> publishingSeqs = Set.of();
  private final List<CompletableFuture<Void>> idleWaiters = new ArrayList<>();
  private boolean busy;
  private volatile boolean closed;
  private volatile java.util.function.LongConsumer publicationTimes = nanos -> {};
  private final Thread publisher;
  private final RecordSigner signer;
  private volatile PatchSource patches = PatchSource.NONE;

  /** (channel, label, subdir); subdir is null for a label's channeldata. */
  record Location(long channelId, String label, String subdir) {}

  public IndexService(PackageFileRepository files, Events events, Clock clock, Path publishDir) {
    this(files, events, clock, publishDir, RecordSigner.NONE);
  }

  /** {@code signer} signs the records current_repodata changes; stored records carry their own signatures. */
  public IndexService(PackageFileRepository files, Events events, Clock clock, Path publishDir, RecordSigner signer) {
    this.signer = signer;
    this.files = files;
    this.clock = clock;
    this.segments = new SegmentFiles(publishDir.resolve("segments"));
    this.shardRoot = publishDir.resolve("shards");
    new SegmentFiles(shardRoot); // empties what an earlier run left
    events.subscribe(PackageStored.class, e -> changed(e.channelId(), e.label(), e.subdir(), e.name(), e.seq()));
    events.subscribe(PackageRemoved.class, e -> changed(e.channelId(), e.label(), e.subdir(), e.name(), e.seq()));
    events.subscribe(FileBatch.class, this::changed);
    events.subscribe(RemoteFilesChanged.class, e -> changed(e.channelId(), e.label(), e.subdir(), e.name(), 0));
    events.subscribe(io.wharf.server.events.PatchesChanged.class, e -> {
      synchronized (lock) {
        e.names().forEach(n -> changed(e.channelId(), n.label(), e.subdir(), n.name(), n.seq()));
      }
    });
    events.subscribe(ChannelRemoved.class, e -> forget(e.channelId()));
    events.subscribe(ChannelChanged.class, e -> forget(e.channelId()));
    publisher = new Thread(this::run, "wharf-publisher");
    publisher.setDaemon(true);
    publisher.start();
  }

  /**
   * The files of {@code name} in this location changed (a commit, here or on another node);
   * {@code seq} is its change-log entry, or 0 when nobody will wait for it.
   */
  public void changed(long channelId, String label, String subdir, String name, long seq) {
    synchronized (lock) {
      if (seq > 0) {
        pendingSeqs.add(seq);
      }
      pendingNames.computeIfAbsent(new Location(channelId, label, subdir), k -> new HashSet<>()).add(name);
      pendingNames.computeIfAbsent(new Location(channelId, label, null), k -> new HashSet<>()).add(name);
      lock.notifyAll();
    }
  }

  /**
   * Every change of one transaction, handed in at once, so the publisher takes them into one batch:
   * a transfer of many files is one publication per channel location, never a partial one.
   */
  public void changed(FileBatch batch) {
    synchronized (lock) {
      batch.stored().forEach(e -> changed(e.channelId(), e.label(), e.subdir(), e.name(), e.seq()));
      batch.removed().forEach(e -> changed(e.channelId(), e.label(), e.subdir(), e.name(), e.seq()));
    }
  }

  /** The channel is gone: drop everything published for it. */
  public void forget(long channelId) {
    synchronized (lock) {
      pendingForget.add(channelId);
      lock.notifyAll();
    }
  }

  /**
   * The published subdir, or empty when the location does not exist: an unknown label, or a subdir
   * that is neither a known platform nor holds files. Known platforms always exist (empty repodata),
   * because conda clients treat a missing noarch as a broken channel (CONDA.md §4).
   */
  public Optional<SubdirSnapshot> subdir(Channel channel, String label, String subdir) {
    ChannelState cs = channelState(channel.id());
    if (!label.equals(ChannelNames.DEFAULT_LABEL) && !cs.hasLabel(label)) {
      return Optional.empty();
    }
    if (!Subdirs.isKnown(subdir) && !cs.hasSubdir(label, subdir)) {
      return Optional.empty();
    }
    Location loc = new Location(channel.id(), label, subdir);
    SubdirState st = subdirs.get(loc);
    if (st != null && st.snapshot() != null) {
      return Optional.of(st.snapshot());
    }
    await(request(loc, true));
    st = subdirs.get(loc);
    return st == null ? Optional.empty() : Optional.ofNullable(st.snapshot());
  }

  /** channeldata.json of one label of the channel, or empty for an unknown label. */
  public Optional<Artifact> channeldata(Channel channel, String label) {
    ChannelState cs = channelState(channel.id());
    if (!label.equals(ChannelNames.DEFAULT_LABEL) && !cs.hasLabel(label)) {
      return Optional.empty();
    }
    Location loc = new Location(channel.id(), label, null);
    LabelChanneldata cd = channeldata.get(loc);
    if (cd == null || cd.artifact() == null) {
      await(request(loc, false));
      cd = channeldata.get(loc);
    }
    return cd == null ? Optional.empty() : Optional.ofNullable(cd.artifact());
  }

  /**
   * The published subdir when this node holds it already, else empty; never reads the database, never
   * queues a build and never waits. For callers that must not block (Jetty's selector thread): empty does
   * not mean the subdir does not exist, and such a caller hands the request to a thread that may call
   * {@link #subdir}.
   */
  public Optional<SubdirSnapshot> publishedSubdir(Channel channel, String label, String subdir) {
    ChannelState cs = channels.get(channel.id());
    if (cs == null || !label.equals(ChannelNames.DEFAULT_LABEL) && !cs.hasLabel(label)
        || !Subdirs.isKnown(subdir) && !cs.hasSubdir(label, subdir)) {
      return Optional.empty();
    }
    SubdirState st = subdirs.get(new Location(channel.id(), label, subdir));
    return st == null ? Optional.empty() : Optional.ofNullable(st.snapshot());
  }

  /** As {@link #publishedSubdir}, for channeldata.json: the published one or empty, without waiting. */
  public Optional<Artifact> publishedChanneldata(Channel channel, String label) {
    ChannelState cs = channels.get(channel.id());
    if (cs == null || !label.equals(ChannelNames.DEFAULT_LABEL) && !cs.hasLabel(label)) {
      return Optional.empty();
    }
    LabelChanneldata cd = channeldata.get(new Location(channel.id(), label, null));
    return cd == null ? Optional.empty() : Optional.ofNullable(cd.artifact());
  }

  /** Labels holding files, with the default label. */
  public Set<String> labels(Channel channel) {
    Set<String> labels = new TreeSet<>(channelState(channel.id()).labels());
    labels.add(ChannelNames.DEFAULT_LABEL);
    return labels;
  }

  /**
   * Waits (at most {@code timeoutMillis}) until the change with this change-log entry, made on this
   * node, is published here, so that a client sees its own upload in the next repodata it reads.
   */
  public void awaitVisible(long seq, long timeoutMillis) {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    synchronized (lock) {
      while (pendingSeqs.contains(seq) || publishingSeqs.contains(seq)) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          return;
        }
        try {
          lock.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /**
   * Queues the first publication of every subdir of this label that holds files, and of its channeldata,
   * where this node has not published them yet, and returns what completes once they are published. After a
   * bulk change (an import) the first client then finds them published instead of starting a whole first
   * publication and waiting for it (about 20 s for a subdir of 350,000 records). A subdir published already
   * is kept current by each change and needs nothing.
   */
  public CompletableFuture<Void> prepare(long channelId, String label) {
    ChannelState cs = channelState(channelId);
    if (!label.equals(ChannelNames.DEFAULT_LABEL) && !cs.hasLabel(label)) {
      return CompletableFuture.completedFuture(null); // nothing under it: not served
    }
    Location labelLoc = new Location(channelId, label, null);
    List<CompletableFuture<Void>> builds = new ArrayList<>();
    for (String subdir : subdirsOf(labelLoc)) {
      Location loc = new Location(channelId, label, subdir);
      if (!subdirs.containsKey(loc)) {
        builds.add(request(loc, true));
      }
    }
    if (!channeldata.containsKey(labelLoc)) {
      builds.add(request(labelLoc, false));
    }
    return CompletableFuture.allOf(builds.toArray(CompletableFuture[]::new));
  }

  /** How many subdirs this node holds published (each keeps its names' shard hashes and record places). */
  public int publishedSubdirCount() {
    return subdirs.size();
  }

  /** Waits until every change handed in before this call is published; for tests and benchmarks. */
  public void awaitPublished(long timeoutMillis) throws TimeoutException {
    CompletableFuture<Void> f = new CompletableFuture<>();
    synchronized (lock) {
      if (!busy && nothingPending()) {
        return;
      }
      idleWaiters.add(f);
      lock.notifyAll();
    }
    try {
      f.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Every subdir state this node holds, published or being built; for {@link PublishedCheck}. */
  Map<Location, SubdirState> subdirStates() {
    return subdirs;
  }

  private ChannelState channelState(long channelId) {
    return channels.computeIfAbsent(channelId, id -> new ChannelState(files.locationCounts(id)));
  }

  /**
   * Queues a build of a subdir ({@code subdir}) or of a label's channeldata. The queue is chosen under the
   * lock: the publisher swaps in fresh queues as it takes the pending ones, and a request put into a queue
   * it had already taken would never be answered.
   */
  private CompletableFuture<Void> request(Location loc, boolean subdir) {
    synchronized (lock) {
      Map<Location, CompletableFuture<Void>> queue = subdir ? pendingBuilds : pendingChanneldata;
      CompletableFuture<Void> f = queue.computeIfAbsent(loc, k -> new CompletableFuture<>());
      lock.notifyAll();
      return f;
    }
  }

  private static void await(CompletableFuture<Void> f) {
    try {
      f.get(BUILD_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new IllegalStateException("publishing failed: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("publishing did not finish in " + BUILD_WAIT_SECONDS + " s");
    }
  }

  /** Where the publisher finds each subdir's patch instructions (none until this is called). */
  public void usePatches(PatchSource source) {
    this.patches = source;
  }

  /** Told how long each round of publishing took, in nanoseconds (for the metrics). */
  public void onPublished(java.util.function.LongConsumer observer) {
    publicationTimes = observer;
  }

  /** Locations waiting for the publisher (subdirs and channeldata to rebuild, channels to forget). */
  public int queueLength() {
    synchronized (lock) {
      return pendingNames.size() + pendingForget.size();
    }
  }

  private boolean nothingPending() {
    return pendingNames.isEmpty() && pendingBuilds.isEmpty() && pendingChanneldata.isEmpty()
        && pendingForget.isEmpty();
  }

  private void run() {
    while (!closed) {
      Map<Location, Set<String>> names;
      Map<Location, CompletableFuture<Void>> builds;
      Map<Location, CompletableFuture<Void>> cds;
      Set<Long> forget;
      synchronized (lock) {
        busy = false;
        publishingSeqs = Set.of();
        lock.notifyAll();
        if (nothingPending()) {
          idleWaiters.forEach(f -> f.complete(null));
          idleWaiters.clear();
        }
        while (nothingPending() && !closed) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        busy = true;
        names = pendingNames;
        builds = pendingBuilds;
        cds = pendingChanneldata;
        forget = pendingForget;
        pendingNames = new HashMap<>();
        pendingBuilds = new HashMap<>();
        pendingChanneldata = new HashMap<>();
        pendingForget = new HashSet<>();
        publishingSeqs = pendingSeqs;
        pendingSeqs = new HashSet<>();
      }
      long started = System.nanoTime();
      try {
        publish(names, builds, cds, forget);
        publicationTimes.accept(System.nanoTime() - started);
      } catch (RuntimeException | Error e) {
        LOG.error("publishing failed", e);
        builds.values().forEach(f -> f.completeExceptionally(e));
        cds.values().forEach(f -> f.completeExceptionally(e));
      }
    }
  }

  private void publish(Map<Location, Set<String>> names, Map<Location, CompletableFuture<Void>> builds,
      Map<Location, CompletableFuture<Void>> cds, Set<Long> forget) {
    for (long channelId : forget) {
      channels.remove(channelId);
      subdirs.entrySet().removeIf(e -> {
        if (e.getKey().channelId() == channelId) {
          e.getValue().discard();
          return true;
        }
        return false;
      });
      channeldata.entrySet().removeIf(e -> {
        if (e.getKey().channelId() == channelId) {
          e.getValue().discard();
          return true;
        }
        return false;
      });
    }
    long now = clock.millis();
    for (Map.Entry<Location, CompletableFuture<Void>> b : builds.entrySet()) {
      Location loc = b.getKey();
      try {
        // built even when this batch also forgot the channel: the forgetting came first, so the rows read
        // now are newer than it, and the reader waiting for this build must find a snapshot
        if (!subdirs.containsKey(loc)) {
          SubdirState st = new SubdirState(loc.subdir(), segments, shardRoot.resolve(
              String.valueOf(shardDirs.incrementAndGet())), signer);
          long started = System.nanoTime();
          st.build(rowsOf(loc), patches.current(loc.channelId(), loc.subdir()), now);
          subdirs.put(loc, st);
          LOG.info("published {} files of channel {} {}/{} in {} ms", st.fileCount(), loc.channelId(),
              loc.label(), loc.subdir(), (System.nanoTime() - started) / 1_000_000);
        }
        b.getValue().complete(null);
      } catch (RuntimeException e) {
        b.getValue().completeExceptionally(e);
      }
    }
    Map<Long, Map<String, Map<String, Long>>> counted = new HashMap<>();
    for (Map.Entry<Location, Set<String>> e : names.entrySet()) {
      Location loc = e.getKey();
      if (loc.subdir() == null) {
        LabelChanneldata cd = channeldata.get(loc);
        if (cd != null) {
          cd.apply(e.getValue(), name -> labelRows(loc, name), patches, subdirsOf(loc), now);
        }
        continue;
      }
      ChannelState cs = channels.get(loc.channelId());
      SubdirState st = subdirs.get(loc);
      if (st != null) {
        st.apply(e.getValue(), rowsOf(loc), patches.current(loc.channelId(), loc.subdir()), now);
      }
      if (cs != null) {
        // a location nobody asked for here is not published; its count comes from one grouped query
        // per channel and batch
        cs.setCount(loc.label(), loc.subdir(), st != null ? st.fileCount()
            : counted.computeIfAbsent(loc.channelId(), files::locationCounts)
                .getOrDefault(loc.label(), Map.of()).getOrDefault(loc.subdir(), 0L));
      }
    }
    for (Map.Entry<Location, CompletableFuture<Void>> c : cds.entrySet()) {
      Location loc = c.getKey();
      try {
        if (!channeldata.containsKey(loc)) { // as for subdirs above
          LabelChanneldata cd = new LabelChanneldata(segments, loc.channelId());
          cd.build(sink -> files.streamLabel(loc.channelId(), loc.label(), sink), patches, subdirsOf(loc), now);
          channeldata.put(loc, cd);
        }
        c.getValue().complete(null);
      } catch (RuntimeException e) {
        c.getValue().completeExceptionally(e);
      }
    }
    // a subdir's channeldata lists its subdirs: refresh it when the set changed
    for (Map.Entry<Location, LabelChanneldata> e : channeldata.entrySet()) {
      e.getValue().subdirs(subdirsOf(e.getKey()), now);
    }
  }

  private Set<String> subdirsOf(Location labelLoc) {
    ChannelState cs = channelState(labelLoc.channelId());
    Set<String> s = new TreeSet<>(cs.subdirs(labelLoc.label()));
    s.add("noarch");
    return s;
  }

  private List<PackageFile> labelRows(Location loc, String name) {
    return files.listByName(loc.channelId(), name).stream().filter(f -> f.label().equals(loc.label())).toList();
  }

  /**
   * The location built afresh from its rows, unsigned, beside what is published (for the integrity check,
   * which compares the two); the caller must {@link SubdirState#discard()} it.
   */
  SubdirState rebuilt(Location loc) {
    SubdirState st = new SubdirState(loc.subdir(), segments,
        shardRoot.resolve("check-" + shardDirs.incrementAndGet()), RecordSigner.NONE);
    st.build(rowsOf(loc), patches.current(loc.channelId(), loc.subdir()), clock.millis());
    return st;
  }

  private SubdirState.Rows rowsOf(Location loc) {
    return new SubdirState.Rows() {
      @Override
      public List<PackageFileRepository.PublishRow> of(String name) {
        return files.publishRows(loc.channelId(), loc.label(), loc.subdir(), name);
      }

      @Override
      public void all(java.util.function.Consumer<PackageFileRepository.PublishRow> sink) {
        files.streamPublishRows(loc.channelId(), loc.label(), loc.subdir(), sink);
      }
    };
  }

  @Override
  public void close() {
    closed = true;
    synchronized (lock) {
      lock.notifyAll();
    }
    publisher.interrupt();
  }

  /** Per channel: how many files each (label, subdir) holds, read once and then kept up to date. */
  static final class ChannelState {
    private final Map<String, Map<String, Long>> counts = new ConcurrentHashMap<>();

    ChannelState(Map<String, Map<String, Long>> initial) {
      initial.forEach((label, subdirs) -> counts.put(label, new ConcurrentHashMap<>(subdirs)));
    }

    /** Asked on every request under a label: looks without building the set of subdirs. */
    boolean hasLabel(String label) {
      Map<String, Long> bySubdir = counts.get(label);
      if (bySubdir == null) {
        return false;
      }
      for (long n : bySubdir.values()) {
        if (n > 0) {
          return true;
        }
      }
      return false;
    }

    boolean hasSubdir(String label, String subdir) {
      return counts.getOrDefault(label, Map.of()).getOrDefault(subdir, 0L) > 0;
    }

    Set<String> subdirs(String label) {
      Set<String> out = new TreeSet<>();
      counts.getOrDefault(label, Map.of()).forEach((s, n) -> {
        if (n > 0) {
          out.add(s);
        }
      });
      return out;
    }

    Set<String> labels() {
      Set<String> out = new TreeSet<>();
      counts.keySet().forEach(l -> {
        if (hasLabel(l)) {
          out.add(l);
        }
      });
      return out;
    }

    void setCount(String label, String subdir, long n) {
      counts.computeIfAbsent(label, k -> new ConcurrentHashMap<>()).put(subdir, n);
    }
  }
}
