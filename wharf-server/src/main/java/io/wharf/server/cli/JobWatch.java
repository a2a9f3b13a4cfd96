package io.wharf.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Follows a server job until it finishes. On a terminal it redraws one progress line (bytes done out of
 * the total when the job knows it, its phase and counters) at each poll; elsewhere it prints a line when the
 * phase changes, and when the counters changed at most every {@link #LINE_MILLIS}, so logs show how the job
 * goes without a line per poll.
 */
final class JobWatch {
  private static final int WIDTH = 30;
  static final long POLL_MILLIS = 250;
  static final long LINE_MILLIS = 2_000;

  private JobWatch() {}

  /** Polls {@code /api/jobs/{id}} until the job succeeded or failed; returns it as last read. */
  static JsonNode follow(ApiClient api, long id, PrintStream out, boolean terminal) {
    String lastPhase = null;
    String lastCounters = null;
    long lastLine = 0;
    while (true) {
      JsonNode job = api.get("/api/jobs/" + id);
      String state = job.path("state").asText();
      boolean finished = state.equals("succeeded") || state.equals("failed");
      if (terminal) {
        out.print("\r" + render(job));
        if (finished) {
          out.println();
        }
        out.flush();
      } else {
        String phase = job.path("phase").asText(state);
        String counters = counters(job);
        boolean moved = !counters.equals(lastCounters) && System.nanoTime() - lastLine >= LINE_MILLIS * 1_000_000;
        if (!phase.equals(lastPhase) || moved || finished) {
          out.println("job " + id + " " + state + (phase.equals(state) ? "" : ", " + phase) + counters);
          lastPhase = phase;
          lastCounters = counters;
          lastLine = System.nanoTime();
        }
      }
      if (finished) {
        return job;
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException("interrupted; the job goes on: follow it with 'wharf job show " + id + "'");
      }
    }
  }

  /** The progress line: a bar by bytes or files when the total is known, then phase and counters. */
  static String render(JsonNode job) {
    JsonNode p = job.path("progress");
    // by bytes when the job counts them (an import), else by files (a mirror run)
    boolean byBytes = p.has("bytes_total");
    long done = p.path(byBytes ? "bytes_read" : "files").asLong(0);
    long total = p.path(byBytes ? "bytes_total" : "files_total").asLong(0);
    String bar;
    if (job.path("state").asText().equals("succeeded")) {
      bar = "[" + "#".repeat(WIDTH) + "] 100%";
    } else if (total > 0) {
      int filled = (int) Math.min(WIDTH, WIDTH * done / total);
      bar = "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] "
          + String.format(Locale.ROOT, "%3d%%", Math.min(100, 100 * done / total));
    } else {
      bar = "[" + "-".repeat(WIDTH) + "]    ";
    }
    return bar + "  " + job.path("phase").asText(job.path("state").asText()) + counters(job);
  }

  /** {@code , read 10, added 4}: every counter but the byte counts, which the bar shows. */
  static String counters(JsonNode job) {
    StringBuilder s = new StringBuilder();
    for (Iterator<Map.Entry<String, JsonNode>> it = job.path("progress").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getKey().startsWith("bytes_")) {
        s.append(s.length() == 0 ? ": " : ", ").append(e.getKey().replace('_', ' ')).append(' ')
            .append(e.getValue().asLong());
      }
    }
    return s.toString();
  }
}
