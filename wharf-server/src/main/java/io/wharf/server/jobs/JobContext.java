package io.wharf.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a running job sees: its parameters and input, and where it reports its phase and counters. Progress is
 * kept here and written with each lease renewal (see {@link JobRunner}), so reporting costs no database
 * write. Once the lease is lost every report throws {@link LeaseLostException}, which stops the work.
 */
public final class JobContext {
  private final long id;
  private final JsonNode params;
  private final JdbcJobs store;
  private final Map<String, Long> counters = new LinkedHashMap<>();
  private String phase;
  private volatile boolean lost;

  JobContext(long id, JsonNode params, Map<String, Long> progress, String phase, JdbcJobs store) {
    this.id = id;
    this.params = params;
    this.store = store;
    this.phase = phase;
    // A job taken over keeps what the previous node reported until it reports anew.
    counters.putAll(progress);
  }

  public long id() {
    return id;
  }

  public JsonNode params() {
    return params;
  }

  /** The input stored with the job (an uploaded document), read chunk by chunk from the database. */
  public InputStream input() {
    return store.openInput(id);
  }

  public synchronized void phase(String name) {
    check();
    phase = name;
  }

  /** Adds {@code delta} to the named counter. */
  public synchronized void add(String counter, long delta) {
    check();
    counters.merge(counter, delta, Long::sum);
  }

  public synchronized void set(String counter, long value) {
    check();
    counters.put(counter, value);
  }

  /** Throws when the lease was lost; long steps that report nothing call it now and then. */
  public void check() {
    if (lost) {
      throw new LeaseLostException(id);
    }
  }

  synchronized Snapshot snapshot() {
    return new Snapshot(phase, new LinkedHashMap<>(counters));
  }

  void lose() {
    lost = true;
  }

  boolean lost() {
    return lost;
  }

  record Snapshot(String phase, Map<String, Long> counters) {}
}
