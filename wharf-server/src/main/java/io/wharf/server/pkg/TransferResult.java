package io.wharf.server.pkg;

import java.util.List;

/**
 * What a copy, move or remove did (or, for a dry run, would do), file by file. {@code result} is one of
 * copied, moved, removed, replaced (copied or moved over a file of the same name) or skipped.
 */
public record TransferResult(String action, String from, String to, boolean dryRun, List<FileResult> files) {
  public record FileResult(String label, String subdir, String filename, String name, String version,
      String result) {}
}
