package io.wharf.server.pkg;

import io.wharf.server.channel.Channel;
import io.wharf.server.channel.ChannelNames;
import io.wharf.server.db.DuplicateKeyException;
import io.wharf.server.error.WharfException;
import io.wharf.server.db.TransactionPart;
import io.wharf.server.events.Events;
import io.wharf.server.history.Actor;
import io.wharf.server.events.PackageStored;
import io.wharf.server.events.FileBatch;
import io.wharf.server.storage.BlobSource;
import io.wharf.server.trust.TrustFormats;
import io.wharf.server.storage.BlobStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one way a package file row comes to exist, whoever asks (upload, bulk import, and later copy,
 * move and mirror): the bytes go to a blob named by their SHA-256, so equal files share one blob; then
 * the row, its dependency rows and its change-log entry commit in one transaction; then the event.
 *
 * <p>A passive mirror records rows whose bytes are not here yet ({@link Item} without content); their
 * blob is written later by {@link #fill}, when a client first asks for the file.
 *
 * <p>Nothing here deletes a blob. A failed or refused write leaves at most a blob no row uses, which the
 * {@link BlobSweeper} removes after a grace period; that is also the only safe answer when a commit's
 * outcome is unknown (the connection broke during COMMIT), since a committed row may then use the blob.
 */
public final class PackageStore {

  private final PackageFileRepository files;
  private final BlobStore blobs;
  private final Events events;

  public PackageStore(PackageFileRepository files, BlobStore blobs, Events events) {
    this.files = files;
    this.blobs = blobs;
    this.events = events;
  }

  /** The stored row and the change-log entry its commit wrote. */
  public record Stored(PackageFile file, long seq) {}

  /** The blob key of content with this SHA-256 (lowercase hex). */
  public static String blobKey(String sha256) {
    String hex = sha256.toLowerCase(Locale.ROOT);
    if (!TrustFormats.isHex(hex, 64)) { // by hand, not a regex: every row of a bulk write asks
      throw new IllegalArgumentException("not a SHA-256: " + sha256);
    }
    return "sha256/" + hex.substring(0, 2) + "/" + hex;
  }

  /**
   * Stores the bytes in {@code content} (whose SHA-256 and size the row already states) and the row.
   * The row's blob key is replaced by the content key.
   *
   * @throws WharfException conflict when a file already sits at that location and {@code replace} is false
   */
  public Stored store(Channel channel, NewPackageFile row, Path content, boolean replace) throws IOException {
    return store(channel, row, content, replace, Actor.SYSTEM);
  }

  /** As above, recording {@code actor} in the channel's history in the row's transaction. */
  public Stored store(Channel channel, NewPackageFile row, Path content, boolean replace, Actor actor)
      throws IOException {
    String key = blobKey(row.sha256());
    // Written even when present: a put renews the blob, so a sweep that found it unused before this
    // upload began leaves it alone (it deletes only blobs unchanged since they were marked).
    blobs.put(key, content);
    Stored stored = commit(channel, row.withBlobKey(key), replace, actor);
    // The row is committed: make sure its bytes are there even if a sweep removed an equal unused
    // blob between our put and our commit.
    if (blobs.size(key).isEmpty()) {
      blobs.put(key, content);
    }
    return stored;
  }

  /**
   * One file of a batch: its row and its bytes (a local file, or in memory for small files). Content is
   * null for a row whose bytes are not here yet (a passive mirror fetches them on first download, then
   * calls {@link #fill}): the row names the blob its bytes will have, and serving it finds no blob.
   */
  public record Item(NewPackageFile row, BlobSource content) {}

  /** What became of a file of a batch. */
  public enum Fate {
    /** stored now */
    STORED,
    /** the same bytes already sit at that location: nothing to do */
    PRESENT,
    /** other bytes sit at that location; left as they are */
    DIFFERS
  }

  /** The fate of one item; {@code stored} is set for {@link Fate#STORED}, {@code existingSha256} otherwise. */
  public record Result(Item item, Fate fate, Stored stored, String existingSha256) {}

  /**
   * Stores new files of one channel together: the blobs are written and made durable as one batch
   * ({@link BlobStore#putAll}), then the rows commit in one transaction, then one {@link FileBatch}
   * event. Never replaces: a file whose location is taken is reported {@link Fate#PRESENT} (same
   * SHA-256) or {@link Fate#DIFFERS}, and so is a second file of the batch at the same location.
   * Results are in the order of {@code items}.
   */
  public List<Result> storeAll(Channel channel, List<Item> items) throws IOException {
    return storeAll(channel, items, Actor.SYSTEM);
  }

  /** As {@link #storeAll(Channel, List)}; the channel's history records each batch as an import by {@code actor}. */
  public List<Result> storeAll(Channel channel, List<Item> items, Actor actor) throws IOException {
    return storeAll(channel, items, actor, taken -> TransactionPart.NONE);
  }

  /**
   * Rows a caller writes with a batch of files, in the transaction that records them: told the positions
   * (in the order of the items) of those that end in the channel, stored now or present already with the
   * same bytes.
   */
  @FunctionalInterface
  public interface Alongside {
    TransactionPart rows(List<Integer> taken);
  }

  /**
   * As {@link #storeAll(Channel, List, Actor)}, with {@code alongside}'s rows in the batch's transaction.
   * Should another writer take a location between the look and the commit, the files are settled one by
   * one and those rows follow in a transaction of their own.
   */
  public List<Result> storeAll(Channel channel, List<Item> items, Actor actor, Alongside alongside)
      throws IOException {
    Result[] results = new Result[items.size()];
    Map<List<String>, String> taken = located(channel, items);
    List<Integer> fresh = new ArrayList<>();
    Map<String, BlobSource> puts = new LinkedHashMap<>();
    for (int i = 0; i < items.size(); i++) {
      Item item = items.get(i);
      if (item.row().channelId() != channel.id()) {
        throw new IllegalArgumentException("item of another channel: " + item.row().filename());
      }
      List<String> at = location(item.row());
      String existing = taken.putIfAbsent(at, item.row().sha256());
      if (existing != null) {
        results[i] = other(item, existing);
        continue;
      }
      fresh.add(i);
      if (item.content() != null) {
        puts.putIfAbsent(blobKey(item.row().sha256()), item.content());
      }
    }
    blobs.putAll(puts); // a put renews a blob that a sweep marked (see store)
    List<PackageStored> done = new ArrayList<>();
    try {
      List<PackageFileRepository.Inserted> inserted = files.insertAll(
          fresh.stream().map(i -> withKey(items.get(i).row())).toList(), actor, alongside.rows(landing(results)));
      for (int k = 0; k < fresh.size(); k++) {
        results[fresh.get(k)] = stored(items.get(fresh.get(k)), inserted.get(k), done);
      }
    } catch (DuplicateKeyException e) {
      // another writer took a location since we looked: settle each file on its own
      for (int i : fresh) {
        Item item = items.get(i);
        try {
          results[i] = stored(item, files.insert(withKey(item.row()), false, actor), done);
        } catch (DuplicateKeyException again) {
          NewPackageFile r = item.row();
          String sha = files.locate(r.channelId(), r.label(), r.subdir(), List.of(r.filename())).stream()
              .findFirst().map(PackageFileRepository.Located::sha256).orElse("");
          results[i] = other(item, sha);
        }
      }
      files.write(alongside.rows(landing(results)));
    }
    for (Map.Entry<String, BlobSource> put : puts.entrySet()) {
      if (blobs.size(put.getKey()).isEmpty()) { // swept between our put and our commit (see store)
        blobs.put(put.getKey(), put.getValue());
      }
    }
    if (!done.isEmpty()) {
      events.publish(new FileBatch(done, List.of()));
    }
    return List.of(results);
  }

  /**
   * Replaces the record of a file whose bytes are already stored or will be fetched later (a mirror
   * whose upstream changed a record, e.g. a repodata patch): no blob is written.
   */
  public Stored replaceRecord(Channel channel, NewPackageFile row, Actor actor) {
    return commit(channel, withKey(row), true, actor);
  }

  /**
   * {@link #replaceRecord} for many records of one channel in one transaction (a mirror run whose upstream
   * changed many records); returned in the order given.
   */
  public List<Stored> replaceRecords(Channel channel, List<NewPackageFile> rows, Actor actor) {
    return replaceRecords(channel, rows, actor, TransactionPart.NONE);
  }

  /** As {@link #replaceRecords(Channel, List, Actor)}, with {@code alongside} in the same transaction. */
  public List<Stored> replaceRecords(Channel channel, List<NewPackageFile> rows, Actor actor,
      TransactionPart alongside) {
    for (NewPackageFile row : rows) {
      if (row.channelId() != channel.id()) {
        throw new IllegalArgumentException("row of another channel: " + row.filename());
      }
    }
    List<PackageFileRepository.Inserted> inserted = files.replaceAll(rows.stream().map(PackageStore::withKey).toList(),
        actor, alongside);
    List<Stored> out = new ArrayList<>(inserted.size());
    List<PackageStored> done = new ArrayList<>(inserted.size());
    for (PackageFileRepository.Inserted i : inserted) {
      PackageFile f = i.file();
      done.add(new PackageStored(f.channelId(), f.label(), f.subdir(), f.filename(), f.name(), i.seq()));
      out.add(new Stored(f, i.seq()));
    }
    if (!done.isEmpty()) {
      events.publish(new FileBatch(done, List.of()));
    }
    return out;
  }

  /**
   * Stores the bytes of rows recorded without them (see {@link Item}); the caller has checked them
   * against the rows' SHA-256 and size.
   */
  public void fill(String sha256, Path content) throws IOException {
    blobs.put(blobKey(sha256), content);
  }

  /** Whether the bytes with this SHA-256 are stored (a passive mirror records rows without them). */
  public boolean hasBytes(String sha256) throws IOException {
    return blobs.size(blobKey(sha256)).isPresent();
  }

  /** Which of these file names one location of the channel holds, with their sha256 and size. */
  public List<PackageFileRepository.Located> locate(Channel channel, String label, String subdir,
      java.util.Collection<String> filenames) {
    return files.locate(channel.id(), label, subdir, filenames);
  }

  private Map<List<String>, String> located(Channel channel, List<Item> items) {
    Map<List<String>, List<String>> bySubdir = new LinkedHashMap<>();
    for (Item item : items) {
      bySubdir.computeIfAbsent(List.of(item.row().label(), item.row().subdir()), k -> new ArrayList<>())
          .add(item.row().filename());
    }
    Map<List<String>, String> taken = new HashMap<>();
    bySubdir.forEach((at, names) -> {
      for (PackageFileRepository.Located l : files.locate(channel.id(), at.get(0), at.get(1), names)) {
        taken.put(List.of(at.get(0), l.subdir(), l.filename()), l.sha256());
      }
    });
    return taken;
  }

  private static List<String> location(NewPackageFile row) {
    return List.of(row.label(), row.subdir(), row.filename());
  }

  private static NewPackageFile withKey(NewPackageFile row) {
    return row.withBlobKey(blobKey(row.sha256()));
  }

  /** The positions of the items that end in the channel: not other bytes at their place (null: about to be stored). */
  private static List<Integer> landing(Result[] results) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < results.length; i++) {
      if (results[i] == null || results[i].fate() != Fate.DIFFERS) {
        out.add(i);
      }
    }
    return out;
  }

  private static Result other(Item item, String existingSha256) {
    return new Result(item, existingSha256.equalsIgnoreCase(item.row().sha256()) ? Fate.PRESENT : Fate.DIFFERS,
        null, existingSha256);
  }

  private static Result stored(Item item, PackageFileRepository.Inserted inserted, List<PackageStored> done) {
    PackageFile f = inserted.file();
    done.add(new PackageStored(f.channelId(), f.label(), f.subdir(), f.filename(), f.name(), inserted.seq()));
    return new Result(item, Fate.STORED, new Stored(f, inserted.seq()), null);
  }

  private Stored commit(Channel channel, NewPackageFile row, boolean replace, Actor actor) {
    PackageFileRepository.Inserted inserted;
    try {
      inserted = files.insert(row, replace, actor);
    } catch (DuplicateKeyException e) {
      throw WharfException.conflict("file_exists", row.filename() + " already exists in " + channel.name() + "/"
          + row.subdir() + (row.label().equals(ChannelNames.DEFAULT_LABEL) ? "" : " (label " + row.label() + ")")
          + "; upload with replace to overwrite it");
    }
    events.publish(new PackageStored(channel.id(), row.label(), row.subdir(), row.filename(), row.name(),
        inserted.seq()));
    return new Stored(inserted.file(), inserted.seq());
  }
}
