package io.wharf.server.mirror.policy;

/** A policy's verdict on one upstream record: admitted, or excluded with the first failing filter's reason. */
public record Decision(String subdir, String filename, boolean admitted, String filter, String reason) {

  static Decision admit(Candidate c) {
    return new Decision(c.subdir(), c.filename(), true, null, null);
  }

  static Decision exclude(Candidate c, String filter, String reason) {
    return new Decision(c.subdir(), c.filename(), false, filter, reason);
  }
}
