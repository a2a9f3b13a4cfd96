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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Keeps the search index in step with package files: after a file of a name is stored or removed, the
 * document of that (channel, name) is recomputed from all its files, so the index never depends on
 * the order events arrive in.
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
    events.subscribe(FileBatch.class, b -> {
      java.util.Map<Long, java.util.Set<String>> names = new java.util.TreeMap<>();
      b.stored().forEach(e -> names.computeIfAbsent(e.channelId(), k -> new TreeSet<>()).add(e.name()));
      b.removed().forEach(e -> names.computeIfAbsent(e.channelId(), k -> new TreeSet<>()).add(e.name()));
      names.forEach(this::reindexAll);
    });
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
    TreeSet<Integer> stripes = new TreeSet<>();
    names.forEach(n -> stripes.add(Math.floorMod(Objects.hash(channelId, n), LOCK_STRIPES)));
    List<ReentrantLock> held = new ArrayList<>();
    try {
      for (int i : stripes) {
        locks[i].lock();
        held.add(locks[i]);
      }
      List<SearchDocument> docs = new ArrayList<>();
      java.util.Map<String, List<PackageFile>> byName = files.listByNames(channelId, names);
      for (String name : names) {
        List<PackageFile> named = byName.get(name);
        if (named.isEmpty()) {
          search.delete(channelId, name);
        } else {
          docs.add(SearchDocuments.of(named, licenseFamilyOf));
        }
      }
      search.upsertAll(docs);
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
