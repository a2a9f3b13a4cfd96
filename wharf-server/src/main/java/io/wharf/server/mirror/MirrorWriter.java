package io.wharf.server.mirror;

import io.wharf.server.channel.Channel;
import io.wharf.server.db.TransactionPart;
import io.wharf.server.error.WharfException;
import io.wharf.server.history.Actor;
import io.wharf.server.pkg.NewPackageFile;
import io.wharf.server.pkg.PackageStore;
import io.wharf.server.storage.BlobSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the records a {@link MirrorRun} found new or changed, as {@link MirrorPreparer} made them ready, into
 * the mirror's channel, through {@link PackageStore}: in active mode each file is downloaded and checked first,
 * in passive mode only the row is written and upstream's URL kept as the file's passive source until its bytes
 * are here. Kept apart from the run, which decides what to write (reading, comparing, the policy, removals),
 * so the rules for how a record is written and noted are in one place. A record is noted as written only once
 * its row committed; a file that fails is counted and reported, and the run goes on, unless upstream is gone.
 * Used on the run's own thread only (its counts and its progress calls are not shared with the reading).
 */
final class MirrorWriter {
  /** Files per {@link PackageStore#storeAll} in active mode: each is spooled to disk before the batch commits. */
  private static final int BATCH = 32;
  /**
   * Rows per {@link PackageStore#storeAll} in passive mode: metadata only, so large transactions. Each
   * batch pays a commit, a history entry, a change-log entry per name and an index update of its own.
   */
  private static final int PASSIVE_BATCH = 5000;

  private final Mirror mirror;
  private final Channel channel;
  private final Upstream upstream;
  private final JdbcMirrors rows;
  private final PackageStore store;
  private final Path tmp;
  private final MirrorProgress progress;
  private final Actor actor;
  private long files;
  private long bytes;
  private long errors;
  private String firstError;

  MirrorWriter(Mirror mirror, Channel channel, Upstream upstream, JdbcMirrors rows, PackageStore store, Path tmp,
      MirrorProgress progress, Actor actor) {
    this.mirror = mirror;
    this.channel = channel;
    this.upstream = upstream;
    this.rows = rows;
    this.store = store;
    this.tmp = tmp;
    this.progress = progress;
    this.actor = actor;
  }

  /** Files written (stored or replaced). */
  long files() {
    return files;
  }

  /** Bytes downloaded. */
  long bytes() {
    return bytes;
  }

  /** Records that failed, here or where the run counted them with {@link #failed}. */
  long errors() {
    return errors;
  }

  /** The first file error, for the run's message; null when there was none. */
  String firstError() {
    return firstError;
  }

  /**
   * Writes a chunk made ready by {@link MirrorPreparer}: counts its unreadable records as failed, notes the
   * raw digests of records found unchanged once parsed, reports the chunk, then writes its records.
   */
  void commit(PreparedChunk chunk) throws IOException {
    for (PreparedChunk.Unreadable u : chunk.unreadable()) {
      failed(chunk.subdir(), u.filename(), u.error());
    }
    rows.putRawDigests(mirror.id(), chunk.subdir(), chunk.rawSeen());
    progress.subdir(chunk.subdir(), chunk.listed(), chunk.todo().size(), false);
    write(chunk.todo());
  }

  /**
   * Writes records new or changed since this mirror wrote them: new ones in batches, changed ones whose
   * row is ready (no download) in batches too, and changed ones with new bytes to download one by one.
   */
  private void write(List<PreparedChunk.Item> todo) throws IOException {
    int batch = mirror.mode() == MirrorMode.ACTIVE ? BATCH : PASSIVE_BATCH;
    List<PreparedChunk.Item> fresh = new ArrayList<>();
    List<PreparedChunk.Item> changed = new ArrayList<>();
    for (PreparedChunk.Item item : todo) {
      if (item.before() == null) {
        fresh.add(item);
        if (fresh.size() == batch) {
          storeNew(fresh);
          fresh.clear();
        }
      } else if (item.row() != null && item.invalid() == null) {
        changed.add(item);
        if (changed.size() == PASSIVE_BATCH) {
          replaceRows(changed);
          changed.clear();
        }
      } else {
        replace(item);
      }
    }
    storeNew(fresh);
    replaceRows(changed);
  }

  /**
   * Changed records whose rows are ready, replaced in one transaction ({@link PackageStore#replaceRecords}):
   * a re-run after upstream patched many records commits once, not once a record. Their passive sources
   * are noted before the rows and the records after them, as for new ones. Should the batch be refused,
   * each is written on its own, so that the one at fault is reported and the others still land.
   */
  private void replaceRows(List<PreparedChunk.Item> batch) throws IOException {
    if (batch.isEmpty()) {
      return;
    }
    List<JdbcMirrors.PassiveSource> passive = new ArrayList<>();
    for (PreparedChunk.Item item : batch) {
      if (item.noteSource()) {
        passive.add(new JdbcMirrors.PassiveSource(item.row().sha256(), mirror.id(), item.record().url(),
            item.row().size()));
      }
    }
    List<PackageStore.Stored> stored;
    try {
      // the passive sources, the rows and the mirror's records commit together
      stored = store.replaceRecords(channel, batch.stream().map(PreparedChunk.Item::row).toList(), actor,
          TransactionPart.unforced(rows.addPassivesPart(mirror.id(), passive).andThen(rows.putRecordsPart(
              mirror.id(), batch.stream().map(i -> written(i.record())).toList()))));
    } catch (WharfException e) {
      for (PreparedChunk.Item item : batch) {
        replace(item);
      }
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      UpstreamRecord r = batch.get(i).record();
      files++;
      progress.written(stored.get(i).seq());
      progress.file(r.subdir(), r.filename(), "replaced", 0, null);
    }
  }

  /**
   * New records in one {@link PackageStore#storeAll}: their passive sources are noted before the rows, and
   * the records in {@code mirror_records} after them, in one transaction each.
   */
  private void storeNew(List<PreparedChunk.Item> batch) throws IOException {
    if (batch.isEmpty()) {
      return;
    }
    List<PackageStore.Item> items = new ArrayList<>();
    List<UpstreamRecord> taken = new ArrayList<>();
    List<Path> spooled = new ArrayList<>();
    List<JdbcMirrors.PassiveSource> passive = new ArrayList<>();
    try {
      for (PreparedChunk.Item item : batch) {
        UpstreamRecord r = item.record();
        if (item.invalid() != null) {
          failed(r.subdir(), r.filename(), item.invalid());
          continue;
        }
        try {
          if (item.row() == null) { // active mode: the bytes first, checked against the record
            Path file = Files.createTempFile(tmp, "mirror-", ".part");
            spooled.add(file);
            Upstream.Downloaded d = upstream.download(r.url(), r.sha256(), r.size(), file);
            bytes += d.size();
            items.add(new PackageStore.Item(r.row(channel.id(), mirror.label(), d.md5()), BlobSource.of(file)));
          } else {
            NewPackageFile row = item.row();
            if (item.noteSource()) {
              passive.add(new JdbcMirrors.PassiveSource(row.sha256(), mirror.id(), r.url(), row.size()));
            }
            items.add(new PackageStore.Item(row, null));
          }
          taken.add(r);
        } catch (WharfException e) {
          if (e.kind() == WharfException.Kind.GATEWAY_TIMEOUT || "upstream_unreachable".equals(e.code())) {
            throw e; // the upstream is gone: the run stops here and the next one resumes
          }
          failed(r.subdir(), r.filename(), e);
        }
      }
      // the passive sources (a client may ask for a file once it is listed), the rows and the mirror's records
      // of those that end in the channel commit together, before any progress is reported. The commit need
      // not wait for the disk: should a crash of the machine lose it, the records it noted are lost with it,
      // and the next run writes those files again (a file's bytes are forced before its row in any case)
      TransactionPart sources = rows.addPassivesPart(mirror.id(), passive);
      List<PackageStore.Result> results = store.storeAll(channel, items, actor, landed -> TransactionPart.unforced(
          sources.andThen(rows.putRecordsPart(mirror.id(), landed.stream().map(i -> written(taken.get(i))).toList()))));
      for (int i = 0; i < results.size(); i++) {
        UpstreamRecord r = taken.get(i);
        PackageStore.Result res = results.get(i);
        if (res.fate() == PackageStore.Fate.DIFFERS) {
          failed(r.subdir(), r.filename(), WharfException.conflict("file_differs", r.filename()
              + " already exists in the channel with other bytes; it was left as it is"));
          continue;
        }
        if (mirror.mode() == MirrorMode.ACTIVE) {
          rows.removePassive(r.sha256()); // the bytes are here now, for every row that shares them
        }
        if (res.fate() == PackageStore.Fate.STORED) {
          files++;
          progress.written(res.stored().seq());
          progress.file(r.subdir(), r.filename(), mirror.mode() == MirrorMode.ACTIVE ? "stored" : "recorded",
              mirror.mode() == MirrorMode.ACTIVE ? r.size() : 0, null);
        }
      }
    } finally {
      for (Path p : spooled) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** A record upstream changed (a repodata patch, or new bytes under the same name). */
  private void replace(PreparedChunk.Item item) throws IOException {
    UpstreamRecord r = item.record();
    if (item.invalid() != null) {
      failed(r.subdir(), r.filename(), item.invalid());
      return;
    }
    try {
      if (item.row() == null) { // active mode, new bytes
        Path file = Files.createTempFile(tmp, "mirror-", ".part");
        try {
          Upstream.Downloaded d = upstream.download(r.url(), r.sha256(), r.size(), file);
          bytes += d.size();
          progress.written(store.store(channel, r.row(channel.id(), mirror.label(), d.md5()), file, true, actor).seq());
          rows.removePassive(r.sha256());
        } finally {
          Files.deleteIfExists(file);
        }
      } else {
        NewPackageFile row = item.row();
        if (item.noteSource()) {
          rows.addPassive(row.sha256(), mirror.id(), r.url(), row.size());
        }
        progress.written(store.replaceRecord(channel, row, actor).seq());
      }
      rows.putRecord(mirror.id(), written(r));
      files++;
      progress.file(r.subdir(), r.filename(), "replaced", 0, null);
    } catch (WharfException e) {
      if (e.kind() == WharfException.Kind.GATEWAY_TIMEOUT || "upstream_unreachable".equals(e.code())) {
        throw e;
      }
      failed(r.subdir(), r.filename(), e);
    }
  }

  private static JdbcMirrors.Written written(UpstreamRecord r) {
    return new JdbcMirrors.Written(r.subdir(), r.filename(), r.digest(), r.sha256(), r.signatures(), r.rawDigest());
  }

  /** Counts and reports a record that could not be taken. */
  void failed(String subdir, String filename, WharfException e) {
    errors++;
    String message = subdir + "/" + filename + ": " + e.getMessage();
    if (firstError == null) {
      firstError = message;
    }
    progress.file(subdir, filename, "failed", 0, e.code() + ": " + e.getMessage());
  }
}
