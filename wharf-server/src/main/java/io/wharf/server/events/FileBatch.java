package io.wharf.server.events;

import java.util.List;

/**
 * Files stored and removed by one transaction (a bulk import's batch; a copy, move or remove of many
 * files), handed on as one event so that listeners do their work once per batch: one publication per
 * channel location, one search update per package name.
 */
public record FileBatch(List<PackageStored> stored, List<PackageRemoved> removed) {
  public FileBatch {
    stored = List.copyOf(stored);
    removed = List.copyOf(removed);
  }
}
