package io.wharf.server.cli;

import io.wharf.server.backup.Backup;
import io.wharf.server.backup.BackupManifest;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wharf backup --data DIR -o FILE}: a consistent backup of the embedded configuration, also while it serves. */
@Command(name = "backup", mixinStandardHelpOptions = true,
    description = "Back up a data directory (SQLite database and package blobs) into one tar file, also while"
        + " the server runs on it and accepts uploads.")
public final class BackupCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, description = "the data directory") Path data;

  @Option(names = {"-o", "--output"}, required = true, description = "the archive to write (replaced when present)")
  Path output;

  @Override
  public Integer call() throws Exception {
    CheckProgress progress = new CheckProgress(System.err, System.console() != null);
    BackupManifest m = Backup.create(data, output, progress);
    progress.finish();
    System.out.println("backed up " + m.blobs() + " blobs (" + m.blobBytes() + " bytes) and the database as of "
        + m.snapshotAt() + " to " + output);
    return 0;
  }
}
