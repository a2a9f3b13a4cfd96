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
import java.time.Duration;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the search index in step with package files: after a file of a name is stored or removed, the
 * document of that (channel, name) is recomputed from all its files, so the index never depends on
 * the order events arrive in. A batch's new files are folded into the documents instead when the
 * database's file counts show that gives the same (see {@link #indexBatch}).
 *
 * <p>A single file's event (an upload, a delete) is indexed on the thread that publishes it, so the file is
 * searchable when its request returns. A {@link FileBatch} (an import's, a mirror run's or a transfer's) is
 * indexed on one background thread ({@link SearchBatchQueue}) while its writer goes on; whoever ends a bulk
 * operation calls {@link #awaitIdle} so that its results are searchable when it reports them. Any order of
 * the two gives the documents a recomputation gives: each update holds its names' locks and reads the rows
 * as they are then, a merge is checked against the database's file count, and every commit is followed by
 * an update that starts after it.
 */
public final class SearchIndexer implements AutoCloseable {
  /** The thread that indexes bulk writers' batches. */
  public static final String THREAD = "wharf-search-index";
  /** Batches that may wait for that thread before a writer waits too (each at most a few thousand files). */
  static final int QUEUED_BATCHES = 4;
  private static final Duration DRAIN_ON_CLOSE = Duration.ofSeconds(10);
  private static final Logger LOG = LoggerFactory.getLogger(SearchIndexer.class);
  private static final int LOCK_STRIPES = 64;

  private final PackageFileRepository files;
  private final SearchRepository search;
  private final Function<PackageFile, String> licenseFamilyOf;
  // Two recomputations of one name must not interleave, or the older file list could be written last.
  private final ReentrantLock[] locks = new ReentrantLock[LOCK_STRIPES];
  private final SearchBatchQueue batches;

  public SearchIndexer(PackageFileRepository files, SearchRepository search, Events events,
      Function<PackageFile, String> licenseFamilyOf) {
    this(files, search, events, licenseFamilyOf, QUEUED_BATCHES);
  }

  /** As the public constructor, with at most {@code queuedBatches} batches waiting for the index. */
  SearchIndexer(PackageFileRepository files, SearchRepository search, Events events,
      Function<PackageFile, String> licenseFamilyOf, int queuedBatches) {
    this.batches = new SearchBatchQueue(THREAD, queuedBatches, this::indexOrRecompute);
    this.files = Objects.requireNonNull(files, "files");
    this.search = Objects.requireNonNull(search, "search");
    this.licenseFamilyOf = Objects.requireNonNull(licenseFamilyOf, "licenseFamilyOf");
    for (int i = 0; i < LOCK_STRIPES; i++) {
      locks[i] = new ReentrantLock();
    }
    events.subscribe(PackageStored.class, e -> reindex(e.channelId(), PackageFilename.parse(e.filename()).name()));
    events.subscribe(PackageRemoved.class, e -> reindex(e.channelId(), PackageFilename.parse(e.filename()).name()));
    // a batch (an import's, a mirror run's, a transfer's) updates each name once, one transaction per channel,
    // on the indexing thread; the writer waits only when it is QUEUED_BATCHES ahead
    events.subscribe(FileBatch.class, batches::submit);
    events.subscribe(ChannelRemoved.class, e -> search.deleteChannel(e.channelId()));
  }

  /**
   * Waits (at most {@code timeout}) until every batch published before this call is indexed; whether it
   * was. Called where a bulk operation ends (an import's answer, a mirror run's job, a transfer's answer).
   */
  public boolean awaitIdle(Duration timeout) {
    boolean idle = batches.awaitIdle(timeout);
    if (!idle) {
      LOG.warn("search index: batches still waiting after {}; their files become searchable once indexed", timeout);
    }
    return idle;
  }

  /** Batches waiting for the indexing thread; for the metrics. */
  public int queuedBatches() {
    return batches.waiting();
  }

  /** Batches whose names could not be indexed (logged; the reconcile at start catches up); for the metrics. */
  public long failedBatches() {
    return batches.failed();
  }

  /**
   * Stops the indexing thread once the waiting batches are indexed, or after a few seconds, dropping the
   * rest: their names disagree with their rows, so {@link #reconcile} at the next start recomputes them.
   */
  @Override
  public void close() {
    close(DRAIN_ON_CLOSE);
  }

  void close(Duration drain) {
    batches.close(drain);
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

  /**
   * {@link #indexBatch} on the indexing thread; when that fails (a lost connection, a busy database) the
   * batch's names are recomputed once more, and a second failure is left to the queue to log and count.
   */
  private void indexOrRecompute(FileBatch batch) {
    try {
      indexBatch(batch);
    } catch (RuntimeException e) {
      LOG.warn("search index: a batch of {} files failed ({}); recomputing its names", batch.stored().size()
          + batch.removed().size(), e.toString());
      Map<Long, Set<String>> names = new TreeMap<>();
      batch.stored().forEach(s -> names.computeIfAbsent(s.channelId(), k -> new TreeSet<>()).add(s.name()));
      batch.removed().forEach(r -> names.computeIfAbsent(r.channelId(), k -> new TreeSet<>()).add(r.name()));
      names.forEach(this::reindexAll);
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
