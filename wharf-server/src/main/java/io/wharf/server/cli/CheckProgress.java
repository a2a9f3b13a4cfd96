package io.wharf.server.cli;

import io.wharf.server.check.CheckListener;
import io.wharf.server.check.Problem;
import java.io.PrintStream;

/**
 * Shows an integrity check as it goes: on a terminal a bar per stage redrawn in place (at most ten times
 * a second), otherwise one line per finished stage; every problem on its own line as it is found.
 */
final class CheckProgress implements CheckListener {
  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintStream out;
  private final boolean terminal;
  private String stage;
  private long total;
  private long done;
  private long lastDraw;

  CheckProgress(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  @Override
  public synchronized void stage(String name, long total) {
    finish();
    this.stage = name;
    this.total = total;
    this.done = 0;
    draw();
  }

  @Override
  public synchronized void advanced() {
    done++;
    long now = System.nanoTime();
    if (terminal && now - lastDraw >= REDRAW_NANOS) {
      lastDraw = now;
      draw();
    }
  }

  @Override
  public synchronized void problem(Problem p) {
    if (terminal) {
      out.print("\r\033[K"); // the bar's line gives way to the problem, then is drawn again below it
    }
    out.println(p.line());
    draw();
  }

  /** Ends the current stage's line. */
  synchronized void finish() {
    if (stage == null) {
      return;
    }
    if (terminal) {
      draw();
      out.println();
    } else {
      out.println(stage + ": " + done);
    }
    stage = null;
  }

  private void draw() {
    if (!terminal || stage == null) {
      return;
    }
    out.print("\r\033[K" + render(stage, done, total));
    out.flush();
  }

  static String render(String stage, long done, long total) {
    if (total < 0) {
      return stage + ": " + done;
    }
    int filled = total == 0 ? WIDTH : (int) Math.min(WIDTH, WIDTH * done / total);
    return "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] " + done + "/" + total + "  " + stage;
  }
}
