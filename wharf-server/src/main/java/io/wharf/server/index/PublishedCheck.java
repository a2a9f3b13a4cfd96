package io.wharf.server.index;

import io.wharf.server.index.store.Segment;
import io.wharf.server.index.store.SegmentedDoc;
import io.wharf.server.pkg.PackageFileRepository;
import io.wharf.server.pkg.PackageFileRepository.PublishRow;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Published repodata against the rows: for every subdir this node has published, each package name's
 * {@code packages} and {@code packages.conda} records and its file table (what package downloads are
 * served from) must be exactly what that name's rows give, and no name may be published without rows.
 * Then each subdir is built afresh from its rows beside the published one, and every name's
 * current_repodata.json records, its entry in the CEP 16 shard index and its shard file must match that
 * build ({@link DerivedCheck}); current_repodata is judged on the whole subdir because one name's
 * selection depends on what the others require.
 */
public final class PublishedCheck {
  /** Names that disagreed during the pass and are looked at again once the publisher caught up (bounded). */
  private static final int MAX_SUSPECTS = 10_000;
  private static final long CATCH_UP_MILLIS = 30_000;

  /** A published name that disagrees with its rows. */
  public record Stale(long channelId, String label, String subdir, String name, String reason) {}

  private final IndexService index;
  private final PackageFileRepository files;

  public PublishedCheck(IndexService index, PackageFileRepository files) {
    this.index = index;
    this.files = files;
  }

  /** How many subdirs this node has published (the count {@link #run} walks). */
  public int publishedSubdirs() {
    return (int) index.subdirStates().values().stream().filter(s -> s.snapshot() != null).count();
  }

  /**
   * Walks every published subdir (its rows streamed in name order) and hands each name that still
   * disagrees once the publisher has caught up to {@code sink}; {@code advanced} runs once per subdir.
   * Returns how many names were compared.
   */
  public long run(Consumer<Stale> sink, Runnable advanced) {
    List<Stale> suspects = new ArrayList<>();
    long compared = 0;
    for (Map.Entry<IndexService.Location, SubdirState> e : List.copyOf(index.subdirStates().entrySet())) {
      SubdirSnapshot snapshot = e.getValue().snapshot();
      if (snapshot == null) {
        continue;
      }
      IndexService.Location loc = e.getKey();
      SegmentedDoc doc = snapshot.doc();
      io.wharf.conda.repodata.PatchInstructions patches = e.getValue().patches();
      Set<String> withRows = new HashSet<>();
      List<PublishRow> group = new ArrayList<>();
      long[] names = {0};
      Consumer<List<PublishRow>> compare = g -> {
        if (g.isEmpty()) {
          return;
        }
        String name = g.get(0).name();
        withRows.add(name);
        names[0]++;
        String reason = disagreement(doc, name, g, patches);
        if (reason != null) {
          suspect(suspects, new Stale(loc.channelId(), loc.label(), loc.subdir(), name, reason), sink);
        }
        g.clear();
      };
      files.streamPublishRows(loc.channelId(), loc.label(), loc.subdir(), r -> {
        if (!group.isEmpty() && !group.get(0).name().equals(r.name())) {
          compare.accept(group);
        }
        group.add(r);
      });
      compare.accept(group);
      Set<String> suspected = new HashSet<>();
      for (Stale s : suspects) {
        if (s.channelId() == loc.channelId() && s.label().equals(loc.label()) && s.subdir().equals(loc.subdir())) {
          suspected.add(s.name());
        }
      }
      for (Segment s : doc.segments()) {
        for (String name : s.keys()) {
          if (!withRows.contains(name)) {
            names[0]++;
            suspected.add(name);
            suspect(suspects, new Stale(loc.channelId(), loc.label(), loc.subdir(), name,
                "published, but no row has this name"), sink);
          }
        }
      }
      derived(loc, snapshot, false).forEach((name, reason) -> {
        if (!suspected.contains(name)) {
          suspect(suspects, new Stale(loc.channelId(), loc.label(), loc.subdir(), name, reason), sink);
        }
      });
      compared += names[0];
      advanced.run();
    }
    // A change commits before it is published: give the publisher its moment, then look again.
    awaitPublisher();
    recheck(suspects, false).forEach(sink);
    return compared;
  }

  /** Publishes these names again from their rows; returns the ones that still disagree afterwards. */
  public List<Stale> republish(List<Stale> stale) {
    recheck(stale, true); // deletes the shard files that do not match their hash, so they are written again
    for (Stale s : stale) {
      index.changed(s.channelId(), s.label(), s.subdir(), s.name(), 0);
    }
    awaitPublisher();
    return recheck(stale, false);
  }

  private void suspect(List<Stale> suspects, Stale s, Consumer<Stale> sink) {
    if (suspects.size() < MAX_SUSPECTS) {
      suspects.add(s);
    } else {
      recheck(List.of(s), false).forEach(sink);
    }
  }

  /** current_repodata and shards of the published location against a fresh build from its rows. */
  private Map<String, String> derived(IndexService.Location loc, SubdirSnapshot published, boolean drop) {
    SubdirState fresh = index.rebuilt(loc);
    try {
      return DerivedCheck.disagreements(published, fresh.snapshot(), drop);
    } finally {
      fresh.discard();
    }
  }

  /**
   * The names compared again, against the current snapshots and rows; those that still disagree. A
   * location is built afresh at most once for all of its names.
   */
  private List<Stale> recheck(List<Stale> names, boolean dropCorruptShards) {
    Map<IndexService.Location, Map<String, String>> derivedByLocation = new HashMap<>();
    List<Stale> left = new ArrayList<>();
    for (Stale s : names) {
      IndexService.Location loc = new IndexService.Location(s.channelId(), s.label(), s.subdir());
      SubdirState state = index.subdirStates().get(loc);
      SubdirSnapshot snapshot = state == null ? null : state.snapshot();
      if (snapshot == null) {
        continue; // no longer published here: the next request builds it from the rows
      }
      String reason = recheck(s, state, snapshot);
      if (reason == null) {
        reason = derivedByLocation.computeIfAbsent(loc, l -> derived(l, snapshot, dropCorruptShards)).get(s.name());
      }
      if (reason != null) {
        left.add(new Stale(s.channelId(), s.label(), s.subdir(), s.name(), reason));
      }
    }
    return left;
  }

  private void awaitPublisher() {
    try {
      index.awaitPublished(CATCH_UP_MILLIS);
    } catch (TimeoutException e) {
      // the recheck reports what is still behind
    }
  }

  /** Why the name's own published records still disagree with its rows; null when they agree. */
  private String recheck(Stale s, SubdirState state, SubdirSnapshot snapshot) {
    List<PublishRow> rows = files.publishRows(s.channelId(), s.label(), s.subdir(), s.name());
    return rows.isEmpty()
        ? (published(snapshot.doc(), s.name()) ? "published, but no row has this name" : null)
        : disagreement(snapshot.doc(), s.name(), rows, state.patches());
  }

  private static boolean published(SegmentedDoc doc, String name) {
    Segment s = doc.segmentFor(name);
    return s != null && s.keys().contains(name);
  }

  /** Null when the name's published parts are exactly what its rows give, with the subdir's patches applied. */
  static String disagreement(SegmentedDoc doc, String name, List<PublishRow> rows,
      io.wharf.conda.repodata.PatchInstructions patches) {
    if (!published(doc, name)) {
      return "has rows but is not published";
    }
    NameValues expected = new NameValues(name, rows, patches, io.wharf.server.trust.RecordSigner.NONE);
    if (!same(doc.value(NameValues.TAR, name), NameValues.entries(expected.tarBz2))) {
      return "its \"packages\" records differ from the rows";
    }
    if (!same(doc.value(NameValues.CONDA, name), NameValues.entries(expected.conda))) {
      return "its \"packages.conda\" records differ from the rows";
    }
    if (!same(doc.value(NameValues.FILES, name), NameValues.utf8(expected.files))) {
      return "its file table (blob, size, sha256 served) differs from the rows";
    }
    return null;
  }

  private static boolean same(ByteBuffer published, byte[] expected) {
    if (published == null) {
      return expected.length == 0;
    }
    byte[] got = new byte[published.remaining()];
    published.duplicate().get(got);
    return Arrays.equals(got, expected);
  }
}
