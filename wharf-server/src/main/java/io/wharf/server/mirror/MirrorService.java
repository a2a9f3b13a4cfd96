package io.wharf.server.mirror;

import io.wharf.conda.pkg.Subdirs;
import io.wharf.server.channel.Channel;
import io.wharf.server.channel.ChannelNames;
import io.wharf.server.channel.ChannelService;
import io.wharf.server.error.WharfException;
import io.wharf.server.mirror.policy.Decision;
import io.wharf.server.mirror.policy.PolicyService;
import io.wharf.server.pkg.PackageService;
import io.wharf.server.pkg.PackageTransfers;
import io.wharf.server.pkg.PackageStore;
import io.wharf.server.storage.BlobStore;
import io.wharf.server.vuln.jdbc.JdbcRecordCves;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mirrors of upstream conda channels: created with their upstream, target channel label, mode and
 * subdirs; run as a plain call ({@link #run}) that a background job can wrap; their runs kept as a
 * history. Upstream credentials are sealed at rest ({@link SecretBox}) and never shown again.
 */
public final class MirrorService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MirrorService.class);
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private final JdbcMirrors rows;
  private final ChannelService channels;
  private final PackageStore store;
  private final PackageService packages;
  private final PackageTransfers transfers;
  private final SecretBox secrets;
  private final java.nio.file.Path tmp;
  private final Duration timeout;
  private final Clock clock;
  private final HttpClient http;
  private final PassiveFetcher passive;
  private final int chunkSize;
  private final Set<Long> running = ConcurrentHashMap.newKeySet();
  private volatile PolicyService policies;
  private volatile JdbcRecordCves cves;

  public MirrorService(JdbcMirrors rows, ChannelService channels, PackageStore store, PackageService packages,
      PackageTransfers transfers, BlobStore blobs, SecretBox secrets, java.nio.file.Path tmp, Duration timeout,
      Clock clock) {
    this(rows, channels, store, packages, transfers, blobs, secrets, tmp, timeout, clock, MirrorRun.CHUNK);
  }

  /** {@code chunkSize}: records a run without a policy reads, compares and writes together. */
  MirrorService(JdbcMirrors rows, ChannelService channels, PackageStore store, PackageService packages,
      PackageTransfers transfers, BlobStore blobs, SecretBox secrets, java.nio.file.Path tmp, Duration timeout,
      Clock clock, int chunkSize) {
    this.chunkSize = chunkSize;
    this.transfers = transfers;
    this.rows = rows;
    this.channels = channels;
    this.store = store;
    this.packages = packages;
    this.secrets = secrets;
    this.tmp = tmp;
    this.timeout = timeout;
    this.clock = clock;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NORMAL).build();
    // a client waits for a passive file as long as a download may stall, plus the transfer itself
    this.passive = new PassiveFetcher(rows, this::upstream, store, blobs, tmp, timeout.multipliedBy(10));
  }

  /**
   * What a new mirror is to be. {@code credentials} may be {@link UpstreamCredentials#NONE}; {@code records}
   * null means {@link MirrorRecords#PATCHED}.
   */
  public record NewMirror(String name, String channel, String label, String upstreamUrl, MirrorMode mode,
      List<String> subdirs, boolean removeDeleted, UpstreamCredentials credentials, Duration every,
      MirrorRecords records) {
    public NewMirror(String name, String channel, String label, String upstreamUrl, MirrorMode mode,
        List<String> subdirs, boolean removeDeleted, UpstreamCredentials credentials, Duration every) {
      this(name, channel, label, upstreamUrl, mode, subdirs, removeDeleted, credentials, every, null);
    }

    public NewMirror(String name, String channel, String label, String upstreamUrl, MirrorMode mode,
        List<String> subdirs, boolean removeDeleted, UpstreamCredentials credentials) {
      this(name, channel, label, upstreamUrl, mode, subdirs, removeDeleted, credentials, null, null);
    }
  }

  /** The shortest schedule: a run a minute is more than any upstream's repodata changes need. */
  static final Duration MIN_EVERY = Duration.ofMinutes(1);

  public Mirror create(NewMirror m) {
    if (m.name() == null || !NAME.matcher(m.name()).matches()) {
      throw WharfException.invalid("invalid_name", "a mirror name is 1-64 letters, digits, '.', '_' or '-',"
          + " starting with a letter or digit");
    }
    Channel channel = channels.require(m.channel());
    String label = ChannelNames.requireLabel(m.label() == null ? ChannelNames.DEFAULT_LABEL : m.label());
    URI url;
    try {
      url = URI.create(m.upstreamUrl() == null ? "" : m.upstreamUrl().trim());
    } catch (IllegalArgumentException e) {
      throw WharfException.invalid("invalid_upstream", "the upstream is not a URL: " + e.getMessage());
    }
    if (url.getScheme() == null || !Set.of("http", "https").contains(url.getScheme()) || url.getHost() == null
        || url.getRawQuery() != null || url.getRawUserInfo() != null) {
      throw WharfException.invalid("invalid_upstream", "the upstream must be an http(s) channel URL without query"
          + " or user info (give a user and password as credentials)");
    }
    Set<String> subdirs = new LinkedHashSet<>();
    for (String s : m.subdirs() == null ? List.<String>of() : m.subdirs()) {
      if (!Subdirs.isKnown(s)) {
        throw WharfException.invalid("invalid_subdir", s + " is not a known conda subdir");
      }
      subdirs.add(s);
    }
    UpstreamCredentials.Split split = (m.credentials() == null ? UpstreamCredentials.NONE : m.credentials())
        .split(url.toString());
    String sealed = split.credentials().isEmpty() ? null : secrets.seal(split.credentials().toJson());
    if (m.every() != null && m.every().compareTo(MIN_EVERY) < 0) {
      throw WharfException.invalid("invalid_every", "a mirror runs at most once a minute on its schedule");
    }
    long id = rows.create(m.name(), channel.id(), label, split.url(), m.mode(), List.copyOf(subdirs),
        m.removeDeleted(), sealed, clock.millis(), m.every() == null ? null : m.every().toSeconds(),
        m.records() == null ? MirrorRecords.PATCHED : m.records());
    return rows.byId(id).orElseThrow().mirror();
  }

  /**
   * What to change of a mirror's settings; a null field stays as it is. {@code schedule}: true to change the
   * schedule to {@code every} (null: runs only when asked).
   */
  public record Settings(Boolean removeDeleted, boolean schedule, Duration every, MirrorRecords records) {
    public Settings(Boolean removeDeleted, boolean schedule, Duration every) {
      this(removeDeleted, schedule, every, null);
    }
  }

  /**
   * Changes a mirror's removal setting, schedule and which records it takes; a new schedule is first due one
   * period from now, as at creation. Other records make the next run read every subdir again. A run under
   * way keeps the settings it started with.
   */
  public Mirror update(Mirror m, Settings s) {
    if (s.schedule() && s.every() != null && s.every().compareTo(MIN_EVERY) < 0) {
      throw WharfException.invalid("invalid_every", "a mirror runs at most once a minute on its schedule");
    }
    if (s.removeDeleted() != null) {
      rows.setRemoveDeleted(m.id(), s.removeDeleted());
    }
    if (s.records() != null && s.records() != m.records()) {
      rows.setRecords(m.id(), s.records());
    }
    if (s.schedule()) {
      rows.setSchedule(m.id(), s.every() == null ? null : s.every().toSeconds(),
          s.every() == null ? null : clock.millis() + s.every().toMillis());
    }
    return rows.byId(m.id()).map(JdbcMirrors.Row::mirror)
        .orElseThrow(() -> WharfException.notFound("mirror_not_found", "no mirror named " + m.name()));
  }

  public List<Mirror> list() {
    return rows.all().stream().map(JdbcMirrors.Row::mirror).toList();
  }

  public Optional<Mirror> find(String name) {
    return rows.byName(name).map(JdbcMirrors.Row::mirror);
  }

  public Mirror require(String name) {
    return find(name).orElseThrow(() -> WharfException.notFound("mirror_not_found", "no mirror named " + name));
  }

  public Optional<Mirror> byId(long id) {
    return rows.byId(id).map(JdbcMirrors.Row::mirror);
  }

  /**
   * Deletes the mirror and its history. The files it wrote stay in the channel as they are; passive files
   * whose bytes were not fetched yet lose where to fetch them from (they answer 404 {@code file_unavailable}).
   */
  public void delete(Mirror mirror) {
    if (!rows.delete(mirror.id())) {
      throw WharfException.notFound("mirror_not_found", "no mirror named " + mirror.name());
    }
  }

  /** Mirrors on a schedule due at {@code now}. */
  public List<Mirror> due(long now) {
    return rows.due(now).stream().map(JdbcMirrors.Row::mirror).toList();
  }

  /**
   * Claims a due mirror's scheduled run for this node: moves its next run one period on from now, if no
   * other node did first. True when this node is to queue the run.
   */
  public boolean claimScheduled(Mirror mirror, long now) {
    return mirror.every() != null && mirror.nextRunAt() != null
        && rows.advance(mirror.id(), mirror.nextRunAt().toEpochMilli(), now + mirror.every().toMillis());
  }

  /** The newest runs first. */
  public List<MirrorRunView> history(Mirror mirror, int limit) {
    return rows.runs(mirror.id(), limit);
  }

  /**
   * Runs the mirror now, on the calling thread, reporting to {@code progress}; returns the finished run.
   * One run per mirror at a time (409 {@code mirror_running}). A run that fails (the upstream gone) is
   * recorded as failed with its counts; the next run resumes where it stopped.
   */
  public MirrorRunView run(Mirror mirror, MirrorProgress progress) {
    return run(mirror, progress, null);
  }

  /**
   * As above, for the background job {@code jobId} (null for none): the history row names the job, and runs
   * of the job that a node stopped in the middle of are closed as interrupted first.
   */
  public MirrorRunView run(Mirror mirror, MirrorProgress progress, Long jobId) {
    if (!running.add(mirror.id())) {
      throw WharfException.conflict("mirror_running", "mirror " + mirror.name() + " is running already");
    }
    try {
      Channel channel = channels.require(mirror.channelName());
      if (jobId != null) {
        rows.interrupted(jobId, clock.millis());
      }
      long runId = rows.startRun(mirror.id(), clock.millis(), jobId);
      MirrorRun run = null;
      String status = "succeeded";
      String message = null;
      try {
        run = new MirrorRun(mirror, channel, upstream(mirror.id()), rows, store, packages, transfers, tmp, progress,
            chunkSize).withPolicy(gate(mirror));
        run.run();
        if (run.counts().errors() > 0) {
          status = "partial";
          message = run.firstError();
        }
      } catch (IOException | RuntimeException e) {
        status = "failed";
        message = e.getMessage();
        LOG.warn("mirror {} failed: {}", mirror.name(), e.getMessage());
      }
      rows.finishRun(runId, status, run == null ? new MirrorRun.Counts(0, 0, 0, 0) : run.counts(), message,
          clock.millis());
      return rows.runs(mirror.id(), 1).get(0);
    } finally {
      running.remove(mirror.id());
    }
  }

  /** Lets runs apply the policy each mirror follows, judging CVEs with this server's CVE data. */
  public void usePolicies(PolicyService policies, JdbcRecordCves cves) {
    this.policies = policies;
    this.cves = cves;
  }

  /** The policies mirrors follow (null until {@link #usePolicies}). */
  public PolicyService policies() {
    return policies;
  }

  /** What a run would take in under the mirror's policy, and why each other file is kept out; writes nothing. */
  public DryRun dryRun(Mirror mirror) {
    Upstream up = upstream(mirror.id());
    List<String> subdirs = new MirrorRun(mirror, null, up, rows, store, packages, transfers, tmp, MirrorProgress.NONE).subdirs();
    MirrorDryRun.Result r = MirrorDryRun.of(up, subdirs, gate(mirror));
    return new DryRun(r.policy(), r.decisions());
  }

  /** A dry run: the mirror's policy (null when none) and one decision per upstream record. */
  public record DryRun(String policy, List<Decision> decisions) {}

  private PolicyGate gate(Mirror mirror) {
    PolicyService p = policies;
    return p == null ? null : p.ofMirror(mirror.id())
        .map(a -> new PolicyGate(a, cves, p.clock().instant())).orElse(null);
  }

  public boolean isRunning(Mirror mirror) {
    return running.contains(mirror.id());
  }

  /**
   * Stores the bytes of a passive file, fetched once however many ask (see {@link PassiveFetcher}); false when
   * no mirror recorded these bytes as passive (a stored file whose blob is missing is not fetched from anywhere).
   */
  public boolean fetchPassive(String sha256) {
    if (passiveAmong(List.of(sha256)).isEmpty()) {
      return false;
    }
    passive.fetch(sha256);
    return true;
  }

  /** Which of these file SHA-256s are passive: recorded, their bytes not fetched yet. */
  public Set<String> passiveAmong(Collection<String> sha256s) {
    return rows.passiveAmong(new ArrayList<>(sha256s));
  }

  private Upstream upstream(long mirrorId) {
    JdbcMirrors.Row row = rows.byId(mirrorId)
        .orElseThrow(() -> WharfException.notFound("mirror_not_found", "the mirror of this file was deleted"));
    UpstreamCredentials creds = row.sealedCredentials() == null ? UpstreamCredentials.NONE
        : UpstreamCredentials.fromJson(secrets.open(row.sealedCredentials()));
    return new Upstream(http, row.mirror().upstreamUrl(), creds, timeout, row.mirror().records());
  }

  @Override
  public void close() {
    passive.close();
  }
}
