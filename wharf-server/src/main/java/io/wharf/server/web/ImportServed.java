package io.wharf.server.web;

import io.wharf.server.index.IndexService;
import io.wharf.server.pkg.ImportService;
import io.wharf.server.search.SearchIndexer;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an import waits for before it reports its summary, whether it answers a request or ends a job: this
 * node serves and finds what was imported (read-your-writes, as for an upload; the import's batches are
 * indexed for search in the background), and has published every subdir of the import's label, so the first
 * client after a migration does not wait for a whole first publication. All of it within one bound.
 */
public final class ImportServed {
  private static final Logger LOG = LoggerFactory.getLogger(ImportServed.class);
  // an import's last batch is usually published within a second; a large first publication takes longer
  static final long WAIT_MILLIS = 60_000;

  private final IndexService index;
  private final SearchIndexer searchIndex;

  public ImportServed(IndexService index, SearchIndexer searchIndex) {
    this.index = index;
    this.searchIndex = searchIndex;
  }

  /** Waits as the class says, at most {@link #WAIT_MILLIS}; a publication still going on then goes on. */
  public void await(ImportService.Run run, ImportService.Summary summary) {
    long deadline = System.currentTimeMillis() + WAIT_MILLIS;
    for (long seq : summary.seqs()) {
      index.awaitVisible(seq, Math.max(0, deadline - System.currentTimeMillis()));
    }
    searchIndex.awaitIdle(Duration.ofMillis(Math.max(0, deadline - System.currentTimeMillis())));
    try {
      index.prepare(run.channel().id(), run.label())
          .get(Math.max(0, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      // still publishing: the first request for a subdir joins that publication
    } catch (ExecutionException e) {
      LOG.warn("publishing channel {} after an import failed", run.channel().name(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
