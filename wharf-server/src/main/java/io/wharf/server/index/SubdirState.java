package io.wharf.server.index;

import io.wharf.conda.repodata.CurrentSelection;
import io.wharf.conda.repodata.PatchInstructions;
import io.wharf.conda.repodata.Shards;
import io.wharf.server.index.store.Segment;
import io.wharf.server.index.store.SegmentFiles;
import io.wharf.server.index.store.SegmentedDoc;
import io.wharf.server.pkg.PackageFileRepository.PublishRow;
import io.wharf.server.trust.RecordSigner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The publishing state of one subdir of one channel location, owned by the publisher thread: the
 * segmented document of every name's published parts, the shard of each name, and the current_repodata
 * demand table. {@link #apply} brings a set of changed names up to date from their rows at a cost that
 * follows those names (and the segments holding them), then swaps in a new {@link SubdirSnapshot}.
 */
final class SubdirState {
  /**
   * How often a name may be revisited in one current_repodata fix-up: a guard against a cycle that
   * does not settle, far above what settling takes (a name is queued once however many names touch it).
   */
  private static final int MAX_VISITS = 64;
  static final long SHARD_GRACE_MILLIS = 60 * 60 * 1000L;
  static final int MAX_RETIRED_SHARDS = 4_096;

  /** The database side: one name's rows, or all rows in name order. */
  interface Rows {
    List<PublishRow> of(String name);

    void all(Consumer<PublishRow> sink);
  }

  final String subdir;
  private final SegmentFiles files;
  private final Path shardDir;
  private SegmentedDoc doc;
  private final TreeMap<String, byte[]> shardHashes = new TreeMap<>();
  private final Map<String, Long> retiredShards = new HashMap<>();
  private final CurrentDemand demand = new CurrentDemand();
  private final Set<String> withExtras = new HashSet<>();
  private long fileCount;
  private volatile SubdirSnapshot snapshot;
  private final RecordSigner signer;
  private PatchInstructions patches = PatchInstructions.NONE;

  SubdirState(String subdir, SegmentFiles files, Path shardDir) {
    this(subdir, files, shardDir, RecordSigner.NONE);
  }

  /** {@code signer} signs the records current_repodata changes (see {@link NameValues#setCurrent}). */
  SubdirState(String subdir, SegmentFiles files, Path shardDir, RecordSigner signer) {
    this.signer = signer;
    this.subdir = subdir;
    this.files = files;
    this.shardDir = shardDir;
    this.doc = SegmentedDoc.empty(NameValues.LAYOUT, files);
    try {
      Files.createDirectories(shardDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  SubdirSnapshot snapshot() {
    return snapshot;
  }

  long fileCount() {
    return fileCount;
  }

  /** The patch instructions the published records carry. */
  PatchInstructions patches() {
    return patches;
  }

  /** Builds everything from all rows, streaming name by name. */
  void build(Rows rows, long now) {
    build(rows, PatchInstructions.NONE, now);
  }

  /** As above, applying {@code patches} to each record as it is published. */
  void build(Rows rows, PatchInstructions patches, long now) {
    this.patches = patches;
    SegmentedDoc.Builder builder = new SegmentedDoc.Builder(NameValues.LAYOUT, files);
    List<PublishRow> group = new ArrayList<>();
    Consumer<List<PublishRow>> flush = g -> {
      if (g.isEmpty()) {
        return;
      }
      NameValues nv = new NameValues(g.get(0).name(), g, patches, signer);
      CurrentSelection.Name sel = nv.selection();
      List<CurrentSelection.Candidate> kept = sel.kept();
      builder.add(nv.name, nv.values(sel, kept, signer));
      demand.replace(List.of(), kept, new ArrayList<>());
      writeShard(nv, now);
      fileCount += nv.fileCount;
      g.clear();
    };
    rows.all(r -> {
      if (!group.isEmpty() && !group.get(0).name().equals(r.name())) {
        flush.accept(group);
      }
      group.add(r);
    });
    flush.accept(group);
    doc = builder.build();
    NavigableMap<String, byte[][]> changes = new TreeMap<>();
    fixCurrent(new HashMap<>(), new HashMap<>(), new ArrayDeque<>(demand.names()), changes);
    swap(changes, now);
  }

  /** Brings the named packages up to date from their rows. */
  void apply(Collection<String> names, Rows rows, long now) {
    apply(names, rows, patches, now);
  }

  /**
   * As above, with the subdir's patch instructions as they are now: when they changed, the names the old
   * or the new instructions mention (and this subdir holds) are brought up to date too, and no other.
   */
  void apply(Collection<String> names, Rows rows, PatchInstructions newPatches, long now) {
    if (newPatches != patches) {
      Set<String> all = new java.util.TreeSet<>(names);
      for (PatchInstructions p : List.of(patches, newPatches)) {
        for (String n : p.packageNames()) {
          if (doc.value(NameValues.FILES, n) != null) {
            all.add(n);
          }
        }
      }
      names = all;
      patches = newPatches;
    }
    Map<String, NameValues> fresh = new HashMap<>();
    Map<String, List<CurrentSelection.Candidate>> contributed = new HashMap<>();
    Deque<String> work = new ArrayDeque<>();
    for (String name : names) {
      NameValues nv = new NameValues(name, rows.of(name), patches, signer);
      fileCount += nv.fileCount - PublishedFile.count(EntryText.utf8(doc.value(NameValues.FILES, name)));
      demand.replace(currentFromDoc(name), List.of(), work);
      contributed.put(name, List.of());
      fresh.put(name, nv);
      writeShard(nv, now);
      work.addFirst(name);
    }
    NavigableMap<String, byte[][]> changes = new TreeMap<>();
    fixCurrent(fresh, contributed, work, changes);
    swap(changes, now);
  }

  /**
   * Recomputes current_repodata for the names in {@code work} until no name's selection changes:
   * a changed selection changes the specs it places on other names, which may then need another
   * version. Writes the new parts of every name whose parts changed into {@code changes}.
   */
  private void fixCurrent(Map<String, NameValues> fresh, Map<String, List<CurrentSelection.Candidate>> contributed,
      Deque<String> work, NavigableMap<String, byte[][]> changes) {
    Map<String, List<CurrentSelection.Candidate>> current = new HashMap<>();
    Map<String, CurrentSelection.Name> selections = new HashMap<>();
    Map<String, Integer> visits = new HashMap<>();
    Set<String> done = new HashSet<>();
    // each name at most once in the queue: many names placing specs on one (python, r-base) must not
    // use up its visits before the last of them has been counted
    LinkedHashSet<String> queue = new LinkedHashSet<>(work);
    while (!queue.isEmpty()) {
      java.util.Iterator<String> first = queue.iterator();
      String y = first.next();
      first.remove();
      if (visits.merge(y, 1, Integer::sum) > MAX_VISITS) {
        org.slf4j.LoggerFactory.getLogger(SubdirState.class).warn(
            "current_repodata of {} in {} did not settle after {} passes", y, subdir, MAX_VISITS);
        continue;
      }
      NameValues nv = fresh.get(y);
      boolean changedName = nv != null && done.add(y);
      if (nv == null && doc.value(NameValues.FILES, y) == null) {
        continue; // a spec names a package this subdir does not have
      }
      List<CurrentSelection.Candidate> cur = current.containsKey(y) ? current.get(y) : currentFromDoc(y);
      Map<String, Integer> specs = demand.on(y);
      if (!changedName && !withExtras.contains(y) && allSatisfied(specs, cur)) {
        continue;
      }
      CurrentSelection.Name all = selections.computeIfAbsent(y, n -> nv != null ? nv.selection()
          : CurrentSelection.Name.of(n, EntryText.split(doc.value(NameValues.TAR, n)),
              EntryText.split(doc.value(NameValues.CONDA, n)), io.wharf.conda.version.VersionOrder.memoizing()));
      List<CurrentSelection.Candidate> kept = all.kept();
      LinkedHashSet<CurrentSelection.Candidate> chosen = new LinkedHashSet<>(kept);
      for (String spec : specs.keySet()) {
        if (!CurrentSelection.satisfiedBy(kept, spec)) {
          chosen.addAll(all.newestSatisfying(spec));
        }
      }
      List<CurrentSelection.Candidate> next = List.copyOf(chosen);
      if (next.size() > kept.size()) {
        withExtras.add(y);
      } else {
        withExtras.remove(y);
      }
      if (!changedName && sameFiles(next, cur)) {
        continue;
      }
      List<CurrentSelection.Candidate> before = contributed.containsKey(y) ? contributed.get(y) : cur;
      List<String> touched = new ArrayList<>();
      demand.replace(before, next, touched);
      contributed.put(y, next);
      current.put(y, next);
      queue.addAll(touched);
    }
    for (Map.Entry<String, List<CurrentSelection.Candidate>> e : current.entrySet()) {
      String name = e.getKey();
      NameValues nv = fresh.get(name);
      byte[][] values;
      if (nv != null) {
        values = nv.values(selections.get(name), e.getValue(), signer);
      } else {
        values = new byte[NameValues.LAYOUT.parts()][];
        for (int p = 0; p < values.length; p++) {
          java.nio.ByteBuffer b = doc.value(p, name);
          values[p] = b == null ? new byte[0] : EntryText.utf8(b).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        java.util.SortedMap<String, String> records = EntryText.split(doc.value(NameValues.TAR, name));
        records.putAll(EntryText.split(doc.value(NameValues.CONDA, name)));
        NameValues.setCurrent(values, selections.get(name), e.getValue(), records,
            EntryText.split(doc.value(NameValues.SIGS, name)), signer);
      }
      changes.put(name, values);
    }
    for (Map.Entry<String, NameValues> e : fresh.entrySet()) {
      if (!changes.containsKey(e.getKey())) { // an emptied name, or one left after MAX_VISITS
        NameValues nv = e.getValue();
        CurrentSelection.Name sel = nv.selection();
        changes.put(e.getKey(), nv.values(sel, nv.isEmpty() ? List.of() : sel.kept(), signer));
      }
    }
  }

  private static boolean allSatisfied(Map<String, Integer> specs, List<CurrentSelection.Candidate> cur) {
    for (String spec : specs.keySet()) {
      if (!CurrentSelection.satisfiedBy(cur, spec)) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameFiles(List<CurrentSelection.Candidate> a, List<CurrentSelection.Candidate> b) {
    Set<String> x = new HashSet<>();
    a.forEach(c -> x.add(c.filename()));
    Set<String> y = new HashSet<>();
    b.forEach(c -> y.add(c.filename()));
    return x.equals(y);
  }

  private List<CurrentSelection.Candidate> currentFromDoc(String name) {
    List<CurrentSelection.Candidate> out = new ArrayList<>();
    EntryText.split(doc.value(NameValues.CURRENT_TAR, name)).forEach((fn, json) ->
        out.add(CurrentSelection.candidate(fn, json)));
    EntryText.split(doc.value(NameValues.CURRENT_CONDA, name)).forEach((fn, json) ->
        out.add(CurrentSelection.candidate(fn, json)));
    return out;
  }

  private void writeShard(NameValues nv, long now) {
    byte[] previous = shardHashes.get(nv.name);
    if (nv.isEmpty()) {
      shardHashes.remove(nv.name);
      if (previous != null) {
        retiredShards.put(HexFormat.of().formatHex(previous), now);
      }
      return;
    }
    byte[] shard = nv.shard();
    byte[] hash = Shards.sha256(shard);
    String hex = HexFormat.of().formatHex(hash);
    Path file = shardDir.resolve(hex + ".msgpack.zst");
    try {
      if (!Files.exists(file)) {
        Path tmp = shardDir.resolve(hex + ".tmp");
        Files.write(tmp, shard);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write shard " + file, e);
    }
    shardHashes.put(nv.name, hash);
    retiredShards.remove(hex);
    if (previous != null && !java.util.Arrays.equals(previous, hash)) {
      retiredShards.put(HexFormat.of().formatHex(previous), now);
    }
  }

  /** Drops retired shards past their grace period or beyond the cap, oldest first. */
  private void expireShards(long now) {
    List<Map.Entry<String, Long>> oldestFirst = new ArrayList<>(retiredShards.entrySet());
    oldestFirst.sort(Map.Entry.comparingByValue());
    int excess = oldestFirst.size() - MAX_RETIRED_SHARDS;
    for (Map.Entry<String, Long> e : oldestFirst) {
      if (excess > 0 || now - e.getValue() >= SHARD_GRACE_MILLIS) {
        excess--;
        retiredShards.remove(e.getKey());
        try {
          Files.deleteIfExists(shardDir.resolve(e.getKey() + ".msgpack.zst"));
        } catch (IOException ignored) {
          // the directory is emptied at the next start
        }
      }
    }
  }

  private void swap(NavigableMap<String, byte[][]> changes, long now) {
    SegmentedDoc.Applied applied = doc.apply(changes);
    doc = applied.doc();
    expireShards(now);
    byte[] shardIndex = Shards.index(subdir, shardHashes, "", "./shards/", null, 3);
    snapshot = SubdirSnapshot.publish(subdir, doc, shardIndex, shardDir, snapshot, now);
    for (Segment s : applied.retired()) {
      s.release();
    }
  }

  /** Removes everything this state wrote to disk. */
  void discard() {
    for (Segment s : doc.segments()) {
      s.release();
    }
    try (var files = Files.list(shardDir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(p);
      }
      Files.deleteIfExists(shardDir);
    } catch (IOException ignored) {
      // the directory is emptied at the next start
    }
  }
}
