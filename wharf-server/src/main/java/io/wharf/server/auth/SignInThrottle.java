package io.wharf.server.auth;

import io.wharf.server.error.WharfException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing: after {@link #FREE_FAILURES} failed sign-ins for one user name, or
 * {@link #FREE_FAILURES_PER_ADDRESS} from one client address (many users may share one behind a NAT or
 * proxy), further attempts are refused (429 with Retry-After) for a delay that doubles with
 * each failure, up to {@link #MAX_DELAY_MILLIS}. A success clears the user name's count. Counts live in
 * this node's memory: a guesser spread over nodes gets at most one free allowance per node.
 */
public final class SignInThrottle {
  static final int FREE_FAILURES = 5;
  static final int FREE_FAILURES_PER_ADDRESS = 20;
  static final long BASE_DELAY_MILLIS = 1_000;
  static final long MAX_DELAY_MILLIS = 15 * 60 * 1000L;
  private static final int MAX_KEYS = 100_000;

  private record Failures(int count, long lockedUntil, long last) {}

  private final Map<String, Failures> byKey = new ConcurrentHashMap<>();

  /** Refuses when this user name or address is locked out at {@code now}. */
  public void check(String user, String address, long now) {
    long until = Math.max(lockedUntil(userKey(user)), lockedUntil(addressKey(address)));
    if (until > now) {
      long seconds = Math.max(1, (until - now + 999) / 1000);
      throw WharfException.tooManyRequests("too many failed sign-ins; try again in " + seconds + " seconds", seconds);
    }
  }

  public void failed(String user, String address, long now) {
    if (byKey.size() > MAX_KEYS) {
      byKey.entrySet().removeIf(e -> e.getValue().last() < now - MAX_DELAY_MILLIS);
    }
    record(userKey(user), FREE_FAILURES, now);
    record(addressKey(address), FREE_FAILURES_PER_ADDRESS, now);
  }

  public void succeeded(String user) {
    byKey.remove(userKey(user));
  }

  private void record(String key, int free, long now) {
    byKey.compute(key, (k, f) -> {
      int count = f == null ? 1 : f.count() + 1;
      long delay = count < free ? 0 : Math.min(MAX_DELAY_MILLIS, BASE_DELAY_MILLIS << Math.min(30, count - free));
      return new Failures(count, now + delay, now);
    });
  }

  private long lockedUntil(String key) {
    Failures f = byKey.get(key);
    return f == null ? 0 : f.lockedUntil();
  }

  private static String userKey(String user) {
    return "u:" + (user == null ? "" : user.toLowerCase(Locale.ROOT));
  }

  private static String addressKey(String address) {
    return "a:" + address;
  }
}
