package io.wharf.server.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * One line on a terminal, redrawn in place: how many files are settled out of how many, what became of
 * them, and the rate. Drawn at most ten times a second, and not at all when the output is not a
 * terminal (logs and pipes get only the summary).
 */
final class ProgressBar {
  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintStream out;
  private int total;
  private final boolean enabled;
  private final long started = System.nanoTime();
  private long lastDraw;

  ProgressBar(PrintStream out, int total, boolean enabled) {
    this.out = out;
    this.total = total;
    this.enabled = enabled;
  }

  /** The number of files, when it is learnt after the start (from the server, for an import it reads itself). */
  void total(int n) {
    total = n;
  }

  void update(ImportTally t) {
    long now = System.nanoTime();
    if (enabled && now - lastDraw >= REDRAW_NANOS) {
      lastDraw = now;
      draw(t, now);
    }
  }

  void finish(ImportTally t) {
    if (enabled) {
      draw(t, System.nanoTime());
      out.println();
    }
  }

  private void draw(ImportTally t, long now) {
    double seconds = Math.max(1e-3, (now - started) / 1e9);
    out.print("\r" + render(t, total, t.settled() / seconds));
    out.flush();
  }

  static String render(ImportTally t, int total, double perSecond) {
    int settled = t.settled();
    int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * settled / total);
    return "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] " + settled + "/" + total
        + "  imported " + t.imported() + "  skipped " + t.skipped() + "  refused " + t.refused().size()
        + String.format(Locale.ROOT, "  %.0f/s", perSecond);
  }
}
