package io.wharf.server.cli;

import io.wharf.server.backup.BackupManifest;
import io.wharf.server.backup.Restore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf restore FILE --data NEWDIR}: a backup into an empty data directory. */
@Command(name = "restore", mixinStandardHelpOptions = true,
    description = "Restore a backup made by 'wharf backup' into an empty data directory.")
public final class RestoreCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "the backup archive") Path archive;

  @Option(names = "--data", required = true, description = "the data directory to create (must be empty)")
  Path data;

  @Override
  public Integer call() throws Exception {
    CheckProgress progress = new CheckProgress(System.err, System.console() != null);
    BackupManifest m = Restore.into(archive, data, progress);
    progress.finish();
    System.out.println("restored " + m.blobs() + " blobs and the database as of " + m.snapshotAt() + " into " + data
        + "; run 'wharf check --data " + data + "' to verify");
    return 0;
  }
}
