package io.wharf.server.events;

import java.util.List;

/**
 * Files stored and removed by one transaction (a copy, move or remove of many files), handed on as one
 * event so that the publisher takes them into one batch: one publication per channel location.
 */
public record FileBatch(List<PackageStored> stored, List<PackageRemoved> removed) {
  public FileBatch {
    stored = List.copyOf(stored);
    removed = List.copyOf(removed);
  }
}
