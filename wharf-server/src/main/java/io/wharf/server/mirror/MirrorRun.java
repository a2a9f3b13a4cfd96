package io.wharf.server.mirror;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.channel.Channel;
import io.wharf.server.error.WharfException;
import io.wharf.server.history.Actor;
import io.wharf.server.pkg.PackageService;
import io.wharf.server.pkg.PackageTransfers;
import io.wharf.server.channel.ChannelLocation;
import io.wharf.server.pkg.PackageStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One run of one mirror, subdir by subdir: read the repodata (conditionally), find the records that are
 * new or changed since this mirror last wrote them (by raw digest, else record digest), let the policy
 * judge them if the mirror has one, hand them to {@link MirrorWriter}, and remove what upstream dropped if
 * the mirror says so. A subdir's validators are saved only once all of it was written, so a run that
 * stopped half-way reads it again and resumes after the last finished file. Without a policy a subdir goes
 * through a {@link MirrorPipeline}: a second thread reads and makes chunks ready ({@link MirrorPreparer})
 * while the run's thread writes those before them.
 */
final class MirrorRun {
  /** Upstream records read before they are compared with what this mirror wrote and written. */
  static final int CHUNK = 5000;

  /** What a run did; {@code excluded}: how many records the policy kept out, per filter (sorted). */
  record Counts(long files, long bytes, long errors, long removed, Map<String, Long> excluded) {
    Counts(long files, long bytes, long errors, long removed) {
      this(files, bytes, errors, removed, Map.of());
    }
  }

  private final Mirror mirror;
  private final Channel channel;
  private final Upstream upstream;
  private final JdbcMirrors rows;
  private final PackageTransfers transfers;
  private final PackageService packages;
  private final Path tmp;
  private final MirrorProgress progress;
  private final Actor actor;
  private final MirrorWriter writer;
  private final MirrorPreparer preparer;
  private final int chunkSize;
  private long removed;
  private PolicyGate gate;
  private long excluded;
  private final Map<String, Long> excludedBy = new java.util.TreeMap<>();

  MirrorRun(Mirror mirror, Channel channel, Upstream upstream, JdbcMirrors rows, PackageStore store,
      PackageService packages, PackageTransfers transfers, Path tmp, MirrorProgress progress) {
    this(mirror, channel, upstream, rows, store, packages, transfers, tmp, progress, CHUNK);
  }

  /** {@code chunkSize}: records read, compared and made ready together without a policy ({@link #CHUNK}). */
  MirrorRun(Mirror mirror, Channel channel, Upstream upstream, JdbcMirrors rows, PackageStore store,
      PackageService packages, PackageTransfers transfers, Path tmp, MirrorProgress progress, int chunkSize) {
    this.chunkSize = chunkSize;
    this.transfers = transfers;
    this.mirror = mirror;
    this.channel = channel;
    this.upstream = upstream;
    this.rows = rows;
    this.packages = packages;
    this.tmp = tmp;
    this.progress = progress;
    this.actor = new Actor("mirror " + mirror.name(), null);
    this.writer = new MirrorWriter(mirror, channel, upstream, rows, store, tmp, progress, actor);
    this.preparer = new MirrorPreparer(mirror, channel == null ? 0 : channel.id(), rows, store);
  }

  /** Applies a mirror policy to the records this run reads (null: take everything). */
  MirrorRun withPolicy(PolicyGate policy) {
    this.gate = policy;
    return this;
  }

  /** How many upstream records the policy kept out. */
  long excluded() {
    return excluded;
  }

  Counts counts() {
    return new Counts(writer.files(), writer.bytes(), writer.errors(), removed, Map.copyOf(excludedBy));
  }

  /** The first file error, for the run's message; null when there was none. */
  String firstError() {
    return writer.firstError();
  }

  void run() throws IOException {
    if (gate != null) {
      gate.prepare(upstream, subdirs());
    }
    for (String subdir : subdirs()) {
      subdir(subdir);
    }
  }

  /**
   * The subdirs asked for, plus noarch (conda always reads it); else upstream's own from its
   * channeldata.json (CEP 38); else noarch alone.
   */
  List<String> subdirs() {
    Set<String> out = new LinkedHashSet<>();
    if (!mirror.subdirs().isEmpty()) {
      out.addAll(mirror.subdirs());
    } else {
      upstream.channeldata().map(c -> c.path("subdirs")).ifPresent(list -> list.forEach(s -> out.add(s.asText())));
    }
    out.add("noarch");
    return List.copyOf(out);
  }

  private void subdir(String subdir) throws IOException {
    Files.createDirectories(tmp);
    Path spool = Files.createTempFile(tmp, "repodata-", ".json");
    try {
      // With a policy every run reads the listing again: CVE data or curation may have changed the verdicts.
      Upstream.Spooled rd = upstream.spool(subdir,
          gate == null ? rows.validators(mirror.id(), subdir) : JdbcMirrors.Validators.NONE, spool);
      if (rd.absent() || rd.notModified()) {
        progress.subdir(subdir, 0, 0, rd.notModified());
        return;
      }
      // the records this mirror wrote are read from the database while this thread checks the document
      CompletableFuture<KnownRecords> knowing = gate == null ? known(subdir) : null;
      RepodataStream.Head head = RepodataStream.head(spool, rd.url());
      MirrorPreparer.Listing listing = new MirrorPreparer.Listing(subdir, rd.url(),
          fileBase(rd.url(), head.info()), head.signatures());
      long errorsBefore = writer.errors();
      List<String> gone = new ArrayList<>();
      if (gate == null) {
        KnownRecords known = await(knowing);
        // while this thread writes a chunk, another reads and makes ready the next ones
        MirrorPipeline.run(mirror.name(), out -> readChunks(spool, listing, known, out), writer::commit);
        known.forEachUnlisted(gone::add);
      } else {
        Set<String> listed = new HashSet<>();
        Map<String, JdbcMirrors.Known> known = readJudgeAndWrite(spool, listing, listed);
        known.keySet().stream().filter(filename -> !listed.contains(filename)).forEach(gone::add);
      }
      if (mirror.removeDeleted()) {
        removeAll(subdir, gone);
      }
      if (writer.errors() == errorsBefore) {
        rows.saveValidators(mirror.id(), subdir, rd.validators());
      }
    } finally {
      Files.deleteIfExists(spool);
    }
  }

  /** {@link JdbcMirrors#known} of the subdir, read on a thread of its own. */
  private CompletableFuture<KnownRecords> known(String subdir) {
    CompletableFuture<KnownRecords> out = new CompletableFuture<>();
    Thread reading = new Thread(() -> {
      try {
        out.complete(rows.known(mirror.id(), subdir));
      } catch (Throwable e) {
        out.completeExceptionally(e);
      }
    }, "wharf-mirror-known-" + mirror.name());
    reading.setDaemon(true);
    reading.start();
    return out;
  }

  /** The value of {@code f}; its failure rethrown as it was thrown. */
  private static <T> T await(CompletableFuture<T> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while reading the mirror's records");
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /**
   * The reading stage of a subdir without a policy, on its own thread: notes in {@code known} each record
   * upstream still lists, passes over those unchanged since this mirror wrote them, and makes the others
   * ready in chunks. A chunk is made each {@code chunkSize} records listed, so that progress moves on a
   * re-run too; a last chunk, empty or not, always follows.
   */
  private void readChunks(Path spool, MirrorPreparer.Listing listing, KnownRecords known,
      MirrorPipeline.Output<PreparedChunk> out) throws IOException {
    List<MirrorPreparer.Raw> chunk = new ArrayList<>();
    int[] skipped = {0};
    RepodataStream.records(spool, listing.url(), (filename, raw) -> {
      out.check();
      byte[] digest = listing.digest(filename, raw);
      int at = known.find(filename);
      if (at >= 0) {
        known.listed(at);
      }
      if (at >= 0 && known.unchanged(at, digest)) {
        skipped[0]++;
      } else {
        chunk.add(listing.raw(filename, raw, digest, at >= 0));
      }
      if (chunk.size() + skipped[0] == chunkSize) {
        out.put(preparer.chunk(listing, chunk, skipped[0]));
        chunk.clear();
        skipped[0] = 0;
      }
    });
    out.put(preparer.chunk(listing, chunk, skipped[0]));
  }

  /**
   * A subdir under a policy: it judges every record, changed or not, all at once. Notes each filename listed
   * in {@code listed}; returns the records this mirror had written in the subdir before.
   */
  private Map<String, JdbcMirrors.Known> readJudgeAndWrite(Path spool, MirrorPreparer.Listing listing,
      Set<String> listed) throws IOException {
    List<UpstreamRecord> read = new ArrayList<>();
    List<PreparedChunk.Unreadable> unreadable = new ArrayList<>();
    RepodataStream.records(spool, listing.url(), (filename, raw) -> {
      listed.add(filename);
      MirrorPreparer.parse(listing, listing.raw(filename, raw), unreadable).ifPresent(read::add);
    });
    for (PreparedChunk.Unreadable u : unreadable) {
      writer.failed(listing.subdir(), u.filename(), u.error());
    }
    String subdir = listing.subdir();
    Map<String, JdbcMirrors.Known> known = rows.records(mirror.id(), subdir);
    writer.commit(preparer.prepare(subdir, admitted(subdir, read, known), known, 0, List.of()));
    return known;
  }

  /**
   * The records the mirror's policy admits (all without a policy); each excluded one is reported with its
   * reason and, when the mirror says so, removed if an earlier run wrote it.
   */
  private List<UpstreamRecord> admitted(String subdir, List<UpstreamRecord> read,
      Map<String, JdbcMirrors.Known> known) {
    List<io.wharf.server.mirror.policy.Decision> decisions = gate.judge(read);
    List<UpstreamRecord> out = new ArrayList<>();
    for (int i = 0; i < read.size(); i++) {
      io.wharf.server.mirror.policy.Decision d = decisions.get(i);
      if (d.admitted()) {
        out.add(read.get(i));
        continue;
      }
      excluded++;
      excludedBy.merge(d.filter(), 1L, Long::sum);
      progress.excluded(d.filter());
      progress.file(subdir, d.filename(), "excluded", 0, "policy " + gate.policyName() + ": " + d.reason());
      if (gate.removeExcluded() && known.containsKey(d.filename())) {
        remove(subdir, d.filename());
      }
    }
    return out;
  }

  /** CEP 15: {@code info.base_url} says where the files are, relative to the repodata's URL or absolute. */
  static String fileBase(Upstream.Repodata rd) {
    return fileBase(rd.url(), rd.body().path("info"));
  }

  static String fileBase(String repodataUrl, JsonNode info) {
    String dir = repodataUrl.substring(0, repodataUrl.lastIndexOf('/') + 1);
    String base = info.path("base_url").asText("");
    if (base.isEmpty()) {
      return dir;
    }
    String resolved = java.net.URI.create(dir.replace(UpstreamCredentials.TOKEN_PLACEHOLDER, "TOKEN_PLACEHOLDER"))
        .resolve(base).toString().replace("TOKEN_PLACEHOLDER", UpstreamCredentials.TOKEN_PLACEHOLDER);
    return resolved.endsWith("/") ? resolved : resolved + "/";
  }

  /**
   * Removes files upstream no longer lists through the channel's batch removal ({@link PackageTransfers}), a
   * request of them a transaction. A file someone else removed meanwhile is no longer there to name: the
   * request is made again without the files it reported missing.
   */
  private void removeAll(String subdir, List<String> filenames) {
    ChannelLocation at = new ChannelLocation(channel.name(), mirror.label());
    for (int from = 0; from < filenames.size(); from += PackageTransfers.MAX_ITEMS) {
      List<String> batch = filenames.subList(from, Math.min(filenames.size(), from + PackageTransfers.MAX_ITEMS));
      List<String> items = new ArrayList<>(batch.stream().map(f -> subdir + "/" + f).toList());
      while (!items.isEmpty()) {
        try {
          transfers.remove(at, items, false, actor);
          break;
        } catch (WharfException e) {
          Object missing = e.details() == null ? null : e.details().get("items");
          if (!"no_match".equals(e.code()) || !(missing instanceof List<?> gone) || !items.removeAll(gone)) {
            throw e;
          }
        }
      }
      rows.deleteRecords(mirror.id(), subdir, batch);
      removed += batch.size();
      batch.forEach(filename -> progress.file(subdir, filename, "removed", 0, null));
    }
  }

  private void remove(String subdir, String filename) {
    try {
      packages.delete(channel, mirror.label(), subdir, filename, actor);
    } catch (WharfException e) {
      if (e.kind() != WharfException.Kind.NOT_FOUND) {
        throw e;
      }
    }
    rows.deleteRecord(mirror.id(), subdir, filename);
    removed++;
    progress.file(subdir, filename, "removed", 0, null);
  }
}
