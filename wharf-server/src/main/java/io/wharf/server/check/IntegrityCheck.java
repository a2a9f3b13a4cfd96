package io.wharf.server.check;

import io.wharf.server.channel.Channel;
import io.wharf.server.channel.ChannelNames;
import io.wharf.server.channel.ChannelRepository;
import io.wharf.server.db.Database;
import io.wharf.server.index.PublishedCheck;
import io.wharf.server.pkg.PackageFilePages;
import io.wharf.server.pkg.PackageFileRepository;
import io.wharf.server.search.SearchIndexer;
import io.wharf.server.storage.BlobStore;
import io.wharf.server.storage.StoreIdentity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks that the database, the blob store, the search rows and (on a serving node) the published
 * repodata agree, reporting every disagreement, and with {@code repair} fixes what is safe to fix:
 * search rows are recomputed, names are published again, and orphan blobs past the sweeper's grace
 * period are deleted. A row whose blob is missing, unreadable or wrong is only reported: its blob may be
 * unreachable for a moment, and deleting the row would lose the package for good.
 */
public final class IntegrityCheck {
  /** What one run looked at and found. */
  public record Result(Map<String, Long> checked, int problems, int repaired) {
    public boolean clean() {
      return problems == repaired;
    }
  }

  private final Database db;
  private final ChannelRepository channels;
  private final PackageFileRepository files;
  private final PackageFilePages pages;
  private final BlobStore blobs;
  private final SearchIndexer indexer;
  private final PublishedCheck published;
  private final long graceMillis;

  /** {@code published} is null where nothing is published (a check run beside the server's data). */
  public IntegrityCheck(Database db, ChannelRepository channels, PackageFileRepository files,
      PackageFilePages pages, BlobStore blobs, SearchIndexer indexer, PublishedCheck published,
      long graceMillis) {
    this.db = db;
    this.channels = channels;
    this.files = files;
    this.pages = pages;
    this.blobs = blobs;
    this.indexer = indexer;
    this.published = published;
    this.graceMillis = graceMillis;
  }

  public Result run(boolean repair, CheckListener listener) throws IOException {
    int[] counts = {0, 0};
    CheckListener counting = new CheckListener() {
      @Override
      public void stage(String name, long total) {
        listener.stage(name, total);
      }

      @Override
      public void advanced() {
        listener.advanced();
      }

      @Override
      public void problem(Problem p) {
        counts[0]++;
        counts[1] += p.repaired() ? 1 : 0;
        listener.problem(p);
      }
    };
    JdbcCheckQueries queries = new JdbcCheckQueries(db);
    List<Channel> all = channels.list();
    Map<Long, String> names = new HashMap<>();
    all.forEach(c -> names.put(c.id(), c.name()));
    Map<String, Long> checked = new LinkedHashMap<>();
    checkIdentity(queries, counting);
    BlobChecks blobChecks = new BlobChecks(queries, files, blobs, graceMillis,
        id -> names.getOrDefault(id, "channel#" + id));
    checked.put("files", blobChecks.rowsHaveBlobs(counting));
    checked.put("blobs", blobChecks.blobsHaveRows(counting, repair, System.currentTimeMillis()));
    checked.put("search_names", new SearchCheck(queries, pages, indexer).run(all, counting, repair));
    if (published != null) {
      checked.put("published_names", checkPublished(counting, repair, names));
    }
    return new Result(checked, counts[0], counts[1]);
  }

  private long checkPublished(CheckListener listener, boolean repair, Map<Long, String> names) {
    listener.stage("published subdirs", published.publishedSubdirs());
    List<PublishedCheck.Stale> stale = new ArrayList<>();
    long compared = published.run(stale::add, listener::advanced);
    java.util.Set<List<Object>> left = new java.util.HashSet<>();
    (repair ? published.republish(stale) : stale).forEach(s -> left.add(where(s)));
    for (PublishedCheck.Stale s : stale) {
      String label = s.label().equals(ChannelNames.DEFAULT_LABEL) ? "" : "/label/" + s.label();
      Problem p = new Problem("published_stale",
          names.getOrDefault(s.channelId(), "channel#" + s.channelId()) + label + "/" + s.subdir() + " " + s.name(),
          s.reason(), false);
      listener.problem(repair && !left.contains(where(s)) ? p.fixed() : p);
    }
    return compared;
  }

  private static List<Object> where(PublishedCheck.Stale s) {
    return List.of(s.channelId(), s.label(), s.subdir(), s.name());
  }

  /** The store must name this database, or the sweeper of either side would take the other's blobs for unused. */
  private void checkIdentity(JdbcCheckQueries queries, CheckListener listener) throws IOException {
    Optional<String> databaseId = queries.databaseId();
    if (databaseId.isEmpty() || blobs.size(StoreIdentity.KEY).isEmpty()) {
      return; // written at the first start of a server on this pair
    }
    String stored;
    try (InputStream in = blobs.open(StoreIdentity.KEY)) {
      stored = new String(in.readNBytes(200), StandardCharsets.UTF_8).trim();
    }
    if (!stored.equals(databaseId.get())) {
      listener.problem(new Problem("store_identity", StoreIdentity.KEY, "the blob store belongs to database "
          + stored + ", this database is " + databaseId.get(), false));
    }
  }
}
