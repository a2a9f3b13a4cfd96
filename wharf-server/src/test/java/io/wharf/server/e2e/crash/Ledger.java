package io.wharf.server.e2e.crash;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the uploaders sent and what the server acknowledged, per file location. An upload answered 201
 * is acknowledged: its bytes must be what the location serves from then on, unless a later upload to
 * the same location (a replace) may have committed. An upload that got no answer, because the server
 * was killed under it, may or may not have committed; either outcome is correct.
 */
final class Ledger {
  /** A file location in the test channel. */
  record Location(String label, String subdir, String filename) {
    String condaPath(String channel) {
      return "/conda/" + channel + (label.equals("main") ? "" : "/label/" + label) + "/" + subdir + "/" + filename;
    }
  }

  private static final class State {
    String acknowledged;
    final Set<String> unanswered = new LinkedHashSet<>();
  }

  private final Map<Location, State> states = new HashMap<>();
  private final Set<Location> touched = new LinkedHashSet<>();
  private long acknowledgedCount;

  /** Called before the request is sent. */
  synchronized void sending(Location loc, String sha256) {
    states.computeIfAbsent(loc, k -> new State()).unanswered.add(sha256);
    touched.add(loc);
  }

  /** The server answered 201 for these bytes. */
  synchronized void acknowledged(Location loc, String sha256) {
    State s = states.get(loc);
    s.acknowledged = sha256;
    s.unanswered.clear();
    acknowledgedCount++;
  }

  synchronized long acknowledgedCount() {
    return acknowledgedCount;
  }

  synchronized Set<Location> locations() {
    return Set.copyOf(states.keySet());
  }

  /** Locations written to since the last {@link #settle}. */
  synchronized Set<Location> touched() {
    return Set.copyOf(touched);
  }

  /**
   * Judges what a location holds after a restart ({@code held}: the SHA-256 of its bytes, or empty
   * when it holds nothing). Returns why it is wrong, or empty when it is right.
   */
  synchronized Optional<String> judge(Location loc, Optional<String> held) {
    State s = states.get(loc);
    if (s == null) {
      return held.map(h -> "holds " + h + " although nothing was ever uploaded there");
    }
    if (held.isPresent() && (held.get().equals(s.acknowledged) || s.unanswered.contains(held.get()))) {
      return Optional.empty();
    }
    if (s.acknowledged != null) {
      return Optional.of("LOST: upload acknowledged with sha256 " + s.acknowledged + " but the location "
          + held.map(h -> "holds " + h).orElse("holds nothing"));
    }
    return held.map(h -> "holds " + h + ", which no upload sent");
  }

  /**
   * After a check: what a location holds is now its known state, so an unanswered upload that did
   * commit counts as the location's content from here on (it is not counted as acknowledged).
   */
  synchronized void settle(Map<Location, String> held) {
    List<Location> gone = new ArrayList<>();
    states.forEach((loc, s) -> {
      String now = held.get(loc);
      s.unanswered.clear();
      if (now == null) {
        if (s.acknowledged == null) {
          gone.add(loc);
        }
      } else {
        s.acknowledged = now;
      }
    });
    gone.forEach(states::remove);
    touched.clear();
  }
}
