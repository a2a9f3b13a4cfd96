package io.wharf.server.index;

import io.wharf.server.index.store.Segment;
import io.wharf.server.index.store.SegmentFiles;
import io.wharf.server.index.store.SegmentedDoc;
import io.wharf.server.pkg.PackageFile;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * channeldata.json of one label of a channel, kept name by name in a segmented document, from the records
 * as published: with each subdir's patch instructions applied ({@link ChanneldataPublisher}).
 */
final class LabelChanneldata {
  private final SegmentFiles files;
  private final long channelId;
  private SegmentedDoc doc;
  private Set<String> subdirs;
  private volatile Artifact artifact;

  LabelChanneldata(SegmentFiles files, long channelId) {
    this.files = files;
    this.channelId = channelId;
    this.doc = SegmentedDoc.empty(ChanneldataPublisher.LAYOUT, files);
  }

  Artifact artifact() {
    return artifact;
  }

  void build(Consumer<Consumer<PackageFile>> rows, PatchSource source, Set<String> subdirs, long now) {
    SegmentedDoc.Builder builder = new SegmentedDoc.Builder(ChanneldataPublisher.LAYOUT, files);
    SubdirPatches patches = new SubdirPatches(source, channelId).readAhead(subdirs);
    List<PackageFile> group = new ArrayList<>();
    Consumer<List<PackageFile>> flush = g -> {
      if (!g.isEmpty()) {
        builder.add(g.get(0).name(), ChanneldataPublisher.entry(g.get(0).name(), g, patches));
        g.clear();
      }
    };
    rows.accept(f -> {
      if (!group.isEmpty() && !group.get(0).name().equals(f.name())) {
        flush.accept(group);
      }
      group.add(f);
    });
    flush.accept(group);
    doc = builder.build();
    this.subdirs = Set.copyOf(subdirs);
    publish(now);
  }

  /** Republishes {@code names} (changed files, or changed instructions of a subdir holding them). */
  void apply(Collection<String> names, Function<String, List<PackageFile>> rowsOf, PatchSource source,
      Set<String> subdirs, long now) {
    NavigableMap<String, byte[][]> changes = new TreeMap<>();
    SubdirPatches patches = new SubdirPatches(source, channelId);
    for (String name : names) {
      changes.put(name, ChanneldataPublisher.entry(name, rowsOf.apply(name), patches));
    }
    SegmentedDoc.Applied applied = doc.apply(changes);
    doc = applied.doc();
    this.subdirs = Set.copyOf(subdirs);
    publish(now);
    applied.retired().forEach(Segment::release);
  }

  void subdirs(Set<String> now, long at) {
    if (!now.equals(subdirs)) {
      subdirs = Set.copyOf(now);
      publish(at);
    }
  }

  private void publish(long now) {
    StringBuilder tail = new StringBuilder("},\"subdirs\":[");
    boolean first = true;
    for (String s : new java.util.TreeSet<>(subdirs)) {
      tail.append(first ? "" : ",").append(JsonStrings.quote(s));
      first = false;
    }
    tail.append("]}");
    artifact = DocArtifacts.assemble(doc, List.of("{\"channeldata_version\":1,\"packages\":{", tail.toString()),
        new int[] {0}, SubdirSnapshot.REPODATA_CACHE, now, artifact, null).json();
  }

  void discard() {
    doc.segments().forEach(Segment::release);
  }
}
