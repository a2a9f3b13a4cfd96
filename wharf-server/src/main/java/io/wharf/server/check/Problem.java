package io.wharf.server.check;

/**
 * One disagreement an integrity check found.
 *
 * @param kind a stable code: {@code missing_blob}, {@code blob_unreadable}, {@code wrong_size},
 *     {@code wrong_sha256}, {@code orphan_blob}, {@code search_stale}, {@code published_stale},
 *     {@code store_identity}
 * @param subject what it concerns: a file ({@code channel[/label/l]/subdir/filename}), a blob key, or a
 *     package name ({@code channel/name})
 * @param repaired whether {@code --repair} fixed it in this run
 */
public record Problem(String kind, String subject, String message, boolean repaired) {

  Problem fixed() {
    return new Problem(kind, subject, message, true);
  }

  /** One line for people: {@code kind  subject: message [repaired]}. */
  public String line() {
    return kind + "  " + subject + ": " + message + (repaired ? " [repaired]" : "");
  }
}
