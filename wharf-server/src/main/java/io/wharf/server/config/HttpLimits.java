package io.wharf.server.config;

/**
 * What the HTTP server grants one client: how many requests it works on at once, how long a connection
 * may make no progress, and the slowest pace at which a request body may arrive.
 *
 * @param threads the most worker threads; a request holds one while it is handled, a keep-alive
 *     connection between requests holds none
 * @param idleTimeoutMillis a connection on which nothing is read or written for this long is closed, both
 *     between requests and while a handler waits for the client
 * @param minRequestBytesPerSecond a request body whose bytes arrive slower than this on average, counted
 *     from its first byte, is refused with 408 and its connection closed; 0 turns the check off
 */
public record HttpLimits(int threads, long idleTimeoutMillis, long minRequestBytesPerSecond) {
  public static final int DEFAULT_THREADS = 250;
  public static final long DEFAULT_IDLE_TIMEOUT_MILLIS = 30_000;
  /** 4 KiB/s (32 kbit/s): far below any link a package is uploaded over, far above a trickling attacker. */
  public static final long DEFAULT_MIN_REQUEST_BYTES_PER_SECOND = 4 * 1024;

  public static HttpLimits defaults() {
    return new HttpLimits(DEFAULT_THREADS, DEFAULT_IDLE_TIMEOUT_MILLIS, DEFAULT_MIN_REQUEST_BYTES_PER_SECOND);
  }
}
