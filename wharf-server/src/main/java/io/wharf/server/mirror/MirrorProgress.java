package io.wharf.server.mirror;

/**
 * What a run reports as it goes; a job wrapping {@link MirrorService#run} turns these into its progress,
 * the API into JSON lines. Called on the run's thread only: a run that reads on a second thread
 * ({@link MirrorPipeline}) reports what that thread found from its own, with the chunk it belongs to, so an
 * implementation needs no locking.
 */
public interface MirrorProgress {
  MirrorProgress NONE = new MirrorProgress() {};

  /**
   * Part of a subdir's repodata was read: {@code records} listed upstream, {@code todo} of them to write. A
   * large subdir is read and written a chunk at a time, so this comes once per chunk and the counts add up.
   */
  default void subdir(String subdir, int records, int todo, boolean unchanged) {}

  /**
   * One file settled: {@code outcome} is stored, recorded (passive), replaced, removed, failed, or excluded
   * (by the mirror's policy; the message says why).
   */
  default void file(String subdir, String filename, String outcome, long bytes, String message) {}

  /** One more record the mirror's policy kept out, by {@code filter} (a policy field, e.g. license_not_in). */
  default void excluded(String filter) {}

  /** Rows committed under this change-log entry (to wait until they are published). */
  default void written(long seq) {}
}
