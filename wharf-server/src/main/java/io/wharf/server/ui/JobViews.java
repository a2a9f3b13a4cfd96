package io.wharf.server.ui;

import java.util.List;

/** Models of the job pages ({@code /jobs}, {@code /jobs/{id}}). */
public final class JobViews {
  private JobViews() {}

  /** {@code percent}: how far by bytes, or -1 when the total is not known. */
  public record JobRow(long id, String kind, String state, String phase, int percent, String counters,
      String createdBy, String created, String started, String finished, String error) {
    public boolean live() {
      return state.equals("queued") || state.equals("running");
    }
  }

  public record JobList(List<JobRow> jobs, String olderHref, String newestHref) {
    public boolean live() {
      return jobs.stream().anyMatch(JobRow::live);
    }
  }

  public record Counter(String name, long value) {}

  public record JobDetail(JobRow job, List<Counter> counters, String node, int attempt, String leaseUntil,
      String params, String result) {}
}
