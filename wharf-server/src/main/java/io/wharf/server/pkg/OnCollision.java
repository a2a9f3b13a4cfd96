package io.wharf.server.pkg;

/** What a copy or move does with a file that already sits at the same subdir/filename in the target. */
public enum OnCollision {
  /** Refuse the whole request, naming every colliding file. */
  FAIL,
  /** Leave the target's file and the source's file as they are. */
  SKIP,
  /** Put the source's file in place of the target's. */
  REPLACE
}
