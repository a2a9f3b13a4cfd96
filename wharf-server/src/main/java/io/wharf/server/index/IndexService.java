package io.wharf.server.index;

import io.wharf.conda.pkg.Subdirs;
import io.wharf.server.channel.Channel;
import io.wharf.server.channel.ChannelNames;
import io.wharf.server.events.ChannelChanged;
import io.wharf.server.events.ChannelRemoved;
import io.wharf.server.events.Events;
import io.wharf.server.events.PackageRemoved;
import io.wharf.server.events.PackageStored;
import io.wharf.server.pkg.PackageFile;
import io.wharf.server.pkg.PackageFileRepository;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Published channel metadata, derived from rows and held in memory so that serving repodata and
 * package files never touches the database. A change bumps the generation of the affected subdir and
 * republishes it; a snapshot built from older rows is never cached over a newer generation. Changes
 * made by other nodes arrive as {@link ChannelChanged} and invalidate every subdir of the channel.
 */
public final class IndexService {
  private final PackageFileRepository files;
  private final Clock clock;
  private final Map<String, AtomicLong> generations = new ConcurrentHashMap<>();
  private final Map<String, SubdirIndex> subdirs = new ConcurrentHashMap<>();
  private final Map<String, ChannelIndex> channels = new ConcurrentHashMap<>();
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  public IndexService(PackageFileRepository files, Events events, Clock clock) {
    this.files = files;
    this.clock = clock;
    events.subscribe(PackageStored.class, e -> changed(e.channelId(), e.label(), e.subdir()));
    events.subscribe(PackageRemoved.class, e -> changed(e.channelId(), e.label(), e.subdir()));
    events.subscribe(ChannelRemoved.class, e -> forget(e.channelId()));
    events.subscribe(ChannelChanged.class, e -> changedAll(e.channelId()));
  }

  /** Labels and subdirs that hold files, and the channeldata of each label. */
  public ChannelIndex channel(Channel channel) {
    String key = String.valueOf(channel.id());
    ChannelIndex cached = channels.get(key);
    if (cached != null) {
      return cached;
    }
    AtomicLong gen = generations.computeIfAbsent(key, k -> new AtomicLong());
    synchronized (lock(key)) {
      long g = gen.get();
      ChannelIndex again = channels.get(key);
      if (again != null) {
        return again;
      }
      ChannelIndex built = ChannelIndex.build(channel, files.listChannel(channel.id()), clock.millis());
      if (gen.get() == g) {
        channels.put(key, built);
      }
      return built;
    }
  }

  /**
   * The published subdir, or empty when the location does not exist: an unknown label, or a subdir
   * that is neither a known platform nor holds files. Known platforms always exist (empty repodata),
   * because conda clients treat a missing noarch as a broken channel (CONDA.md §4).
   */
  public Optional<SubdirIndex> subdir(Channel channel, String label, String subdir) {
    ChannelIndex ci = channel(channel);
    if (!label.equals(ChannelNames.DEFAULT_LABEL) && !ci.labels().contains(label)) {
      return Optional.empty();
    }
    if (!Subdirs.isKnown(subdir) && !ci.subdirs(label).contains(subdir)) {
      return Optional.empty();
    }
    String key = channel.id() + "/" + label + "/" + subdir;
    AtomicLong gen = generations.computeIfAbsent(key, k -> new AtomicLong());
    SubdirIndex cached = subdirs.get(key);
    if (cached != null && cached.generation() == gen.get()) {
      return Optional.of(cached);
    }
    synchronized (lock(key)) {
      long g = gen.get();
      SubdirIndex current = subdirs.get(key);
      if (current != null && current.generation() == g) {
        return Optional.of(current);
      }
      List<PackageFile> rows = files.listSubdir(channel.id(), label, subdir);
      SubdirIndex built = SubdirPublisher.publish(g, subdir, rows, current, clock.millis());
      if (gen.get() == g) {
        subdirs.put(key, built);
      }
      return Optional.of(built);
    }
  }

  private void changed(long channelId, String label, String subdir) {
    generations.computeIfAbsent(channelId + "/" + label + "/" + subdir, k -> new AtomicLong()).incrementAndGet();
    staleChannel(channelId);
  }

  /** Every subdir of the channel is derived again on its next request. */
  private void changedAll(long channelId) {
    String prefix = channelId + "/";
    generations.forEach((k, gen) -> {
      if (k.startsWith(prefix)) {
        gen.incrementAndGet();
      }
    });
    staleChannel(channelId);
  }

  private void forget(long channelId) {
    String prefix = channelId + "/";
    subdirs.keySet().removeIf(k -> k.startsWith(prefix));
    generations.keySet().removeIf(k -> k.startsWith(prefix));
    staleChannel(channelId);
  }

  /** The channel-level index (labels, subdirs, channeldata) is derived again on its next request. */
  private void staleChannel(long channelId) {
    String key = String.valueOf(channelId);
    generations.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
    channels.remove(key);
  }

  private Object lock(String key) {
    return locks.computeIfAbsent(key, k -> new Object());
  }

  /** Per channel: labels and subdirs in use, and channeldata.json per label. */
  public record ChannelIndex(Set<String> labels, Map<String, Set<String>> subdirsByLabel,
      Map<String, Artifact> channeldataByLabel) {

    public Set<String> subdirs(String label) {
      return subdirsByLabel.getOrDefault(label, Set.of());
    }

    public Optional<Artifact> channeldata(String label) {
      return Optional.ofNullable(channeldataByLabel.get(label));
    }

    static ChannelIndex build(Channel channel, List<PackageFile> rows, long now) {
      Map<String, List<PackageFile>> byLabel = rows.stream().collect(Collectors.groupingBy(PackageFile::label));
      Set<String> labels = new TreeSet<>(byLabel.keySet());
      labels.add(ChannelNames.DEFAULT_LABEL);
      Map<String, Set<String>> subdirs = new ConcurrentHashMap<>();
      Map<String, Artifact> channeldata = new ConcurrentHashMap<>();
      for (String label : labels) {
        List<PackageFile> labelRows = byLabel.getOrDefault(label, List.of());
        subdirs.put(label, labelRows.stream().map(PackageFile::subdir).collect(Collectors.toCollection(TreeSet::new)));
        channeldata.put(label, Artifact.json(ChanneldataPublisher.publish(labelRows), now,
            SubdirPublisher.REPODATA_CACHE));
      }
      return new ChannelIndex(Set.copyOf(labels), Map.copyOf(subdirs), Map.copyOf(channeldata));
    }
  }
}
