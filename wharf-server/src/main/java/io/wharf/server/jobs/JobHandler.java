package io.wharf.server.jobs;

import java.util.Map;

/**
 * The work of one kind of job. {@link #run} may be called again for the same job on another node when the
 * node running it stopped before finishing (its lease ran out), so it must be safe to repeat: work already
 * done is found done, not done twice.
 */
public interface JobHandler {
  String kind();

  /**
   * Does the job, reporting progress through {@code job}; the returned map is stored as its result. A
   * {@link io.wharf.server.error.WharfException} fails the job with its code and message; any other exception
   * fails it with its message.
   */
  Map<String, Object> run(JobContext job) throws Exception;
}
