package io.wharf.server.jobs;

/** Thrown into a job's work when its lease was taken over by another node: this node must stop. */
public final class LeaseLostException extends RuntimeException {
  LeaseLostException(long jobId) {
    super("job " + jobId + " is no longer leased to this node");
  }
}
