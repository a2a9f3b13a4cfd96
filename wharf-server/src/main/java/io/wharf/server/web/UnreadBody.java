package io.wharf.server.web;

import io.javalin.http.Context;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What is left of a refused request's body. A client that writes its whole body before it reads the
 * answer sees a reset instead of the refusal if the server closes while it is still sending, so the rest
 * of the body is read and dropped first: asynchronously, so that no worker thread waits at the client's
 * pace, and at most {@link #MAX_BYTES} for at most {@link #MAX_TIME}. The refusal is written when the body
 * has ended, a bound is hit or the body fails (slower than the minimum rate, idle, gone); in the
 * last two cases with {@code Connection: close}.
 *
 * <p>A client that sent {@code Expect: 100-continue} has not sent its body, and reading now would ask it
 * to, so nothing is read then. Bodies of GET, HEAD, DELETE and OPTIONS are never read: no route takes one
 * and such content has no defined meaning (RFC 9110, 9.3.1, 9.3.2, 9.3.5, 9.3.7); the connection is
 * closed after the answer instead.
 */
final class UnreadBody {
  static final long MAX_BYTES = 16L * 1024 * 1024;
  static final Duration MAX_TIME = Duration.ofSeconds(10);
  private static final Set<String> METHODS_WITH_BODIES = Set.of("POST", "PUT", "PATCH");
  private static final ScheduledThreadPoolExecutor DEADLINES = deadlines();

  private UnreadBody() {}

  /** @param minRate bytes per second the rest must arrive at on average after a second's grace (0: any) */
  static void drain(Context ctx, long minRate) {
    String expect = ctx.header("Expect");
    if (expect != null && expect.trim().equalsIgnoreCase("100-continue")) {
      return;
    }
    if (ctx.req().getContentLengthLong() <= 0 && ctx.header("Transfer-Encoding") == null) {
      return; // no body
    }
    if (!METHODS_WITH_BODIES.contains(ctx.method().name().toUpperCase(Locale.ROOT))) {
      ctx.header("Connection", "close");
      return;
    }
    ServletInputStream in;
    try {
      in = ctx.req().getInputStream();
      if (in.isFinished()) {
        return;
      }
    } catch (IOException | RuntimeException e) {
      ctx.header("Connection", "close");
      return;
    }
    // Javalin writes the answer when this completes; until then the request holds no thread.
    ctx.future(() -> discard(ctx, in, minRate));
  }

  private static CompletableFuture<Void> discard(Context ctx, ServletInputStream in, long minRate) {
    Discarding discarding = new Discarding(ctx, in, minRate);
    AsyncContext async = ctx.req().getAsyncContext(); // started by Javalin for the future
    // Whichever thread completes the future writes the answer: at the deadline, a container thread.
    ScheduledFuture<?> deadline = DEADLINES.schedule(() -> {
      try {
        async.start(discarding::giveUp);
      } catch (IllegalStateException alreadyCompleted) {
        discarding.giveUp();
      }
    }, MAX_TIME.toMillis(), TimeUnit.MILLISECONDS);
    discarding.done.whenComplete((v, e) -> deadline.cancel(false));
    try {
      in.setReadListener(discarding);
    } catch (RuntimeException e) {
      discarding.giveUp();
    }
    return discarding.done;
  }

  /** Reads whatever has arrived and drops it, until the end, {@link #MAX_BYTES}, or an error. */
  private static final class Discarding implements ReadListener {
    final CompletableFuture<Void> done = new CompletableFuture<>();
    private final AtomicBoolean settled = new AtomicBoolean();
    private final Context ctx;
    private final ServletInputStream in;
    private final byte[] buffer = new byte[16 * 1024];
    private final long minRate;
    private final long started = System.nanoTime();
    private long read;

    Discarding(Context ctx, ServletInputStream in, long minRate) {
      this.ctx = ctx;
      this.in = in;
      this.minRate = minRate;
    }

    /** Nothing but the client paces a drain, so its rate counts from the start (after the same grace). */
    private boolean tooSlow() {
      long waited = System.nanoTime() - started - PacedBody.GRACE_NANOS;
      return minRate > 0 && waited > 0 && read < minRate * (waited / 1e9);
    }

    @Override
    public void onDataAvailable() {
      try {
        while (!settled.get() && in.isReady()) {
          int n = in.read(buffer);
          if (n < 0) {
            settle(false);
            return;
          }
          read += n;
          if (read >= MAX_BYTES || tooSlow()) {
            giveUp();
            return;
          }
        }
      } catch (IOException | RuntimeException e) {
        giveUp(); // the body failed: gone, or idle for the idle timeout
      }
    }

    @Override
    public void onAllDataRead() {
      settle(false);
    }

    @Override
    public void onError(Throwable t) {
      giveUp(); // idle for the idle timeout, or gone
    }

    void giveUp() {
      settle(true);
    }

    /** Once only: the answer is written as soon as the future completes. */
    private void settle(boolean close) {
      if (settled.compareAndSet(false, true)) {
        if (close) {
          ctx.header("Connection", "close");
        }
        done.complete(null);
      }
    }
  }

  private static ScheduledThreadPoolExecutor deadlines() {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "wharf-unread-body-deadline");
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }
}
