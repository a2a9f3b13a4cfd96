package io.wharf.server.ui;

import java.util.List;

/**
 * The mirrors page: each mirror the viewer may manage, with its policy and schedule as sentences, and its
 * latest runs.
 */
public record MirrorsPage(List<MirrorRow> mirrors) {
  public record MirrorRow(String name, String upstream, String target, String targetHref, String mode,
      String subdirs, String records, boolean removeDeleted, boolean credentialsSet, String policy, String schedule,
      List<RunRow> runs) {}

  public record RunRow(String started, String finished, String status, long files, String bytes, long errors,
      long removed, String message) {}
}
