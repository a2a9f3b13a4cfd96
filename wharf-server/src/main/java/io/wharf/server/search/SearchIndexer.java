package io.wharf.server.search;

import io.wharf.conda.pkg.PackageFilename;
import io.wharf.server.channel.Channel;
import io.wharf.server.events.ChannelRemoved;
import io.wharf.server.events.Events;
import io.wharf.server.events.FileBatch;
import io.wharf.server.events.PackageRemoved;
import io.wharf.server.events.PackageStored;
import io.wharf.server.pkg.PackageFile;
import io.wharf.server.pkg.PackageFileRepository;
import io.wharf.server.pkg.PackageNameSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Keeps the search index in step with package files: after a file of a name is stored or removed, the
 * document of that (channel, name) is recomputed from all its files, so the index never depends on
 * the order events arrive in. A batch's new files are folded into the documents instead when the
 * database's file counts show that gives the same (see {@link #indexBatch}).
 */
public final class SearchIndexer {
  private static final int LOCK_STRIPES = 64;

  private final PackageFileRepository files;
  private final SearchRepository search;
  private final Function<PackageFile, String> licenseFamilyOf;
  // Two recomputations of one name must not interleave, or the older file list could be written last.
  private final ReentrantLock[] locks = new ReentrantLock[LOCK_STRIPES];

  public SearchIndexer(PackageFileRepository files, SearchRepository search, Events events,
      Function<PackageFile, String> licenseFamilyOf) {
    this.files = Objects.requireNonNull(files, "files");
    this.search = Objects.requireNonNull(search, "search");
    this.licenseFamilyOf = Objects.requireNonNull(licenseFamilyOf, "licenseFamilyOf");
    for (int i = 0; i < LOCK_STRIPES; i++) {
      locks[i] = new ReentrantLock();
    }
    events.subscribe(PackageStored.class, e -> reindex(e.channelId(), PackageFilename.parse(e.filename()).name()));
    events.subscribe(PackageRemoved.class, e -> reindex(e.channelId(), PackageFilename.parse(e.filename()).name()));
    // a batch (an import's, a transfer's) updates each name once, one transaction per channel
    events.subscribe(FileBatch.class, this::indexBatch);
    events.subscribe(ChannelRemoved.class, e -> search.deleteChannel(e.channelId()));
  }

  /** Recomputes the document of one name from its files, deleting it when none are left. */
  public void reindex(long channelId, String name) {
    ReentrantLock lock = locks[Math.floorMod(Objects.hash(channelId, name), LOCK_STRIPES)];
    lock.lock();
    try {
      List<PackageFile> named = files.listByName(channelId, name);
      if (named.isEmpty()) {
        search.delete(channelId, name);
      } else {
        search.upsert(SearchDocuments.of(named, licenseFamilyOf));
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Whether the indexed document of this name is exactly what its files give now (no document when it
   * has no files); an integrity check asks this name by name.
   */
  public boolean inStep(long channelId, String name) {
    List<PackageFile> named = files.listByName(channelId, name);
    java.util.Optional<SearchDocument> doc = search.find(channelId, name);
    if (named.isEmpty()) {
      return doc.isEmpty();
    }
    return doc.isPresent() && doc.get().equals(SearchDocuments.of(named, licenseFamilyOf));
  }

  /**
   * Recomputes the documents of several names of one channel and writes them together (one transaction
   * for a whole import batch instead of one per file). Holds the locks of all their stripes, taken in
   * stripe order so that two such calls cannot deadlock.
   */
  public void reindexAll(long channelId, Set<String> names) {
    withLocks(channelId, names, () -> {
      List<SearchDocument> docs = new ArrayList<>();
      recompute(channelId, names, docs);
      search.upsertAll(docs);
    });
  }

  /**
   * Updates the documents a batch touches, one transaction per channel. A name that only gained files
   * has them folded into its document ({@link SearchDocumentMerge}), so a bulk writer's batches cost
   * what they add rather than all files of the name each time; a name that lost files, has no document
   * yet, or whose file count in the database disagrees with the merged document (another writer's
   * change not indexed yet, a stored file that replaced one) is recomputed from all its files.
   */
  void indexBatch(FileBatch batch) {
    Map<Long, Map<String, Set<List<String>>>> added = new TreeMap<>();
    Map<Long, Set<String>> removed = new TreeMap<>();
    batch.stored().forEach(e -> added.computeIfAbsent(e.channelId(), k -> new TreeMap<>())
        .computeIfAbsent(e.name(), k -> new HashSet<>()).add(List.of(e.label(), e.subdir(), e.filename())));
    batch.removed().forEach(e -> removed.computeIfAbsent(e.channelId(), k -> new TreeSet<>()).add(e.name()));
    Set<Long> channels = new TreeSet<>(added.keySet());
    channels.addAll(removed.keySet());
    for (long channelId : channels) {
      Map<String, Set<List<String>>> gained = added.getOrDefault(channelId, Map.of());
      Set<String> lost = removed.getOrDefault(channelId, Set.of());
      Set<String> names = new TreeSet<>(gained.keySet());
      names.addAll(lost);
      withLocks(channelId, names, () -> {
        Map<String, Set<List<String>>> mergeable = new TreeMap<>(gained);
        mergeable.keySet().removeAll(lost);
        List<SearchDocument> docs = new ArrayList<>();
        Set<String> rest = new TreeSet<>(names);
        rest.removeAll(merge(channelId, mergeable, docs));
        recompute(channelId, rest, docs);
        search.upsertAll(docs);
      });
    }
  }

  /** Merges what it can into {@code docs}; returns the names it merged. */
  private Set<String> merge(long channelId, Map<String, Set<List<String>>> gained, List<SearchDocument> docs) {
    Map<String, SearchDocument> indexed = gained.isEmpty() ? Map.of() : search.findAll(channelId, gained.keySet());
    if (indexed.isEmpty()) {
      return Set.of();
    }
    Map<List<String>, List<String>> bySubdir = new HashMap<>();
    indexed.keySet().forEach(n -> gained.get(n).forEach(at ->
        bySubdir.computeIfAbsent(at.subList(0, 2), k -> new ArrayList<>()).add(at.get(2))));
    Map<String, List<PackageFile>> rows = new HashMap<>();
    bySubdir.forEach((at, filenames) -> files.listAt(channelId, at.get(0), at.get(1), filenames)
        .forEach(f -> rows.computeIfAbsent(f.name(), k -> new ArrayList<>()).add(f)));
    Map<String, Long> counts = files.countByNames(channelId, indexed.keySet());
    Set<String> merged = new HashSet<>();
    indexed.forEach((name, doc) -> {
      List<PackageFile> fresh = rows.getOrDefault(name, List.of());
      if (fresh.size() != gained.get(name).size()) {
        return; // one went away again, or the event named another name: recompute
      }
      SearchDocument next = SearchDocumentMerge.merge(doc, fresh,
          version -> files.listByNameAndVersion(channelId, name, version), licenseFamilyOf);
      if (next != null && next.fileCount() == counts.getOrDefault(name, 0L)) {
        docs.add(next);
        merged.add(name);
      }
    });
    return merged;
  }

  /** Recomputes these names from all their files into {@code docs}, deleting those without files. */
  private void recompute(long channelId, Set<String> names, List<SearchDocument> docs) {
    if (names.isEmpty()) {
      return;
    }
    Map<String, List<PackageFile>> byName = files.listByNames(channelId, names);
    for (String name : names) {
      List<PackageFile> named = byName.get(name);
      if (named.isEmpty()) {
        search.delete(channelId, name);
      } else {
        docs.add(SearchDocuments.of(named, licenseFamilyOf));
      }
    }
  }

  /** Runs {@code work} holding the stripes of these names, taken in stripe order (no deadlock). */
  private void withLocks(long channelId, Set<String> names, Runnable work) {
    TreeSet<Integer> stripes = new TreeSet<>();
    names.forEach(n -> stripes.add(Math.floorMod(Objects.hash(channelId, n), LOCK_STRIPES)));
    List<ReentrantLock> held = new ArrayList<>();
    try {
      for (int i : stripes) {
        locks[i].lock();
        held.add(locks[i]);
      }
      work.run();
    } finally {
      held.forEach(ReentrantLock::unlock);
    }
  }

  /**
   * Brings the index in step with the files without reading them all: a name is recomputed when its
   * document is missing or disagrees with the rows on file count or newest upload, and a document
   * whose name has no files left is dropped. Meant for start-up, so that a process stopped between
   * storing a file and indexing it leaves no lasting gap. Returns how many names it changed.
   */
  public int reconcile(List<Channel> channels) {
    int changed = 0;
    for (Channel channel : channels) {
      Map<String, SearchDocument> indexed = new HashMap<>();
      for (SearchDocument doc : search.all(Set.of(channel.id()))) {
        indexed.put(doc.name(), doc);
      }
      for (PackageNameSummary row : files.packageNames(channel.id())) {
        SearchDocument doc = indexed.remove(row.name());
        if (doc == null || doc.fileCount() != row.fileCount() || !doc.updatedAt().equals(row.lastUpload())) {
          reindex(channel.id(), row.name());
          changed++;
        }
      }
      for (String stale : indexed.keySet()) {
        reindex(channel.id(), stale);
        changed++;
      }
    }
    return changed;
  }
}
