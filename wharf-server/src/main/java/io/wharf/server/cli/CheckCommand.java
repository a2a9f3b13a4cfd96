package io.wharf.server.cli;

import io.wharf.server.catalog.FileFacts;
import io.wharf.server.channel.JdbcChannelRepository;
import io.wharf.server.check.IntegrityCheck;
import io.wharf.server.db.Database;
import io.wharf.server.events.Events;
import io.wharf.server.pkg.BlobSweeper;
import io.wharf.server.pkg.JdbcPackageFilePages;
import io.wharf.server.pkg.JdbcPackageFileRepository;
import io.wharf.server.search.SearchIndexer;
import io.wharf.server.search.jdbc.JdbcSearchRepository;
import io.wharf.server.storage.BlobStore;
import io.wharf.server.storage.BlobStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wharf check --data DIR}: the integrity check of the embedded configuration (SQLite and blobs
 * under the data directory), safe while a server runs on it. PostgreSQL + S3 installations use
 * {@code POST /api/admin/check} on a running node.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Check that the database, the package blobs and the search rows of a data directory agree"
        + " (also while the server runs on it); exits 1 when a problem is left.")
public final class CheckCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, description = "the data directory (SQLite database and blobs)")
  Path data;

  @Option(names = "--repair", description = "fix what is safe to fix: recompute search rows and delete orphan"
      + " blobs past the sweeper's grace period; a file whose blob is missing or wrong is only reported")
  boolean repair;

  @Override
  public Integer call() throws Exception {
    Path dbFile = data.resolve("wharf.db");
    if (!Files.isRegularFile(dbFile)) {
      throw new CliException("no Wharf database at " + dbFile);
    }
    CheckProgress progress = new CheckProgress(System.out, System.console() != null);
    IntegrityCheck.Result r;
    try (Database db = Database.openSqlite(dbFile); BlobStore blobs = BlobStores.open(null, data.resolve("blobs"))) {
      JdbcPackageFileRepository files = new JdbcPackageFileRepository(db);
      SearchIndexer indexer = new SearchIndexer(files, new JdbcSearchRepository(db), new Events(),
          f -> FileFacts.licenseFamilyOf(f).slug());
      r = new IntegrityCheck(db, new JdbcChannelRepository(db), files, new JdbcPackageFilePages(db), blobs,
          indexer, null, BlobSweeper.DEFAULT_GRACE_MILLIS).run(repair, progress);
    }
    progress.finish();
    System.out.println("published repodata: not compared here (a server keeps it in its own process and"
        + " rebuilds it from the rows at every start); POST /api/admin/check compares it on a running server");
    StringBuilder summary = new StringBuilder("checked:");
    r.checked().forEach((k, v) -> summary.append(' ').append(k).append(' ').append(v));
    System.out.println(summary);
    System.out.println(r.problems() == 0 ? "no problems found"
        : r.problems() + " problems, " + r.repaired() + " repaired");
    return r.clean() ? 0 : 1;
  }
}
