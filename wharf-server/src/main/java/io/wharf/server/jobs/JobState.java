package io.wharf.server.jobs;

import java.util.Locale;

/** Where a job is: waiting for a node, being run under a lease, or done one way or the other. */
public enum JobState {
  QUEUED, RUNNING, SUCCEEDED, FAILED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean finished() {
    return this == SUCCEEDED || this == FAILED;
  }

  static JobState of(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
