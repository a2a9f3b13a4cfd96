package io.wharf.server.cli;

import java.util.ArrayList;
import java.util.List;

/** What an import did so far: files imported, skipped as already present, and refused with a reason. */
final class ImportTally {
  private int imported;
  private int skipped;
  private final List<String> refused = new ArrayList<>();

  void addImported() {
    imported++;
  }

  void addSkipped() {
    skipped++;
  }

  void addRefused(String path, String reason) {
    refused.add(path + ": " + reason);
  }

  int imported() {
    return imported;
  }

  int skipped() {
    return skipped;
  }

  /** One "subdir/filename: reason" per refused file. */
  List<String> refused() {
    return refused;
  }

  int settled() {
    return imported + skipped + refused.size();
  }
}
