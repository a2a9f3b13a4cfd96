package io.wharf.server.mirror;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.error.WharfException;
import io.wharf.server.pkg.NewPackageFile;
import io.wharf.server.pkg.PackageStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The part of writing a mirror's records that writes nothing, so that it can run beside the writing
 * ({@link MirrorPipeline}): finds which records of a chunk are new or changed since this mirror wrote them,
 * parses those, builds their rows and checks whether their bytes are here. What it finds goes into a
 * {@link PreparedChunk} for {@link MirrorWriter}; it reports nothing itself, so the run's progress hears of
 * every record on the thread that writes, in document order.
 */
final class MirrorPreparer {
  /** Where a subdir's records come from: what turns a record's bytes into an {@link UpstreamRecord}. */
  record Listing(String subdir, String url, String fileBase, JsonNode signatures) {
    /** A record of this listing as upstream served it, with its raw digest. */
    Raw raw(String filename, byte[] bytes) {
      return raw(filename, bytes, digest(filename, bytes), true);
    }

    /** {@link UpstreamRecord#rawDigest} of a record of this listing, as bytes. */
    byte[] digest(String filename, byte[] bytes) {
      return UpstreamRecord.rawDigestBytes(bytes, UpstreamRecord.signaturesText(signatures.path(filename)));
    }

    /** A record with its raw digest; {@code known}: this mirror may have written it before. */
    Raw raw(String filename, byte[] bytes, byte[] digest, boolean known) {
      return new Raw(filename, bytes, HexFormat.of().formatHex(digest), known);
    }
  }

  /**
   * A record as upstream served it: its bytes and their {@link UpstreamRecord#rawDigest}. {@code known} is
   * false only when the run knows this mirror never wrote it, so that nothing is looked up for it.
   */
  record Raw(String filename, byte[] bytes, String rawDigest, boolean known) {}

  private final Mirror mirror;
  private final long channelId;
  private final JdbcMirrors rows;
  private final PackageStore store;

  MirrorPreparer(Mirror mirror, long channelId, JdbcMirrors rows, PackageStore store) {
    this.mirror = mirror;
    this.channelId = channelId;
    this.rows = rows;
    this.store = store;
  }

  /**
   * A chunk of records read without a policy, none of them found unchanged by its raw digest ({@link
   * KnownRecords}); {@code skipped} more were listed and found so before they reached it. The records this
   * mirror may have written before are looked up, then each is parsed and compared by its record digest (rows
   * written before raw digests were kept, or under other rules, may still be equal).
   */
  PreparedChunk chunk(Listing listing, List<Raw> raws, int skipped) throws IOException {
    Map<String, JdbcMirrors.Known> known = rows.records(mirror.id(), listing.subdir(),
        raws.stream().filter(Raw::known).map(Raw::filename).toList());
    List<UpstreamRecord> read = new ArrayList<>();
    List<PreparedChunk.Unreadable> unreadable = new ArrayList<>();
    for (Raw r : raws) {
      parse(listing, r, unreadable).ifPresent(read::add);
    }
    return prepare(listing.subdir(), read, known, skipped, unreadable);
  }

  /** The record parsed; empty, and added to {@code unreadable}, when it is no record this server can take. */
  static Optional<UpstreamRecord> parse(Listing listing, Raw r, List<PreparedChunk.Unreadable> unreadable) {
    try {
      return Optional.of(UpstreamRecord.of(listing.subdir(), r.filename(),
          RepodataStream.parse(r.bytes(), listing.url()), listing.fileBase(),
          listing.signatures().path(r.filename()), r.rawDigest()));
    } catch (WharfException bad) {
      unreadable.add(new PreparedChunk.Unreadable(r.filename(), bad));
      return Optional.empty();
    }
  }

  /**
   * Those of {@code records} that are new or changed since this mirror wrote them ({@code known}), made
   * ready to write; {@code skipped} more were listed and found unchanged by their raw digest. The raw
   * digest of a record found unchanged by its record digest is to be noted, so the next run skips it unparsed.
   */
  PreparedChunk prepare(String subdir, List<UpstreamRecord> records, Map<String, JdbcMirrors.Known> known,
      int skipped, List<PreparedChunk.Unreadable> unreadable) throws IOException {
    List<PreparedChunk.Item> todo = new ArrayList<>();
    Map<String, String> rawSeen = new HashMap<>();
    for (UpstreamRecord r : records) {
      JdbcMirrors.Known k = known.get(r.filename());
      if (k == null || !k.recordSha256().equals(r.digest())) {
        todo.add(item(r, k));
      } else if (r.rawDigest() != null && !r.rawDigest().equals(k.rawSha256())) {
        rawSeen.put(r.filename(), r.rawDigest());
      }
    }
    return new PreparedChunk(subdir, List.copyOf(unreadable), rawSeen, skipped + records.size(), todo);
  }

  /**
   * A record to write: its row, unless active mode downloads its bytes first (the row takes the MD5 measured
   * on download when the record has none), and whether its bytes are missing here (a passive source to note).
   */
  private PreparedChunk.Item item(UpstreamRecord r, JdbcMirrors.Known before) throws IOException {
    try {
      boolean sameBytes = before != null && before.sha256().equalsIgnoreCase(r.sha256());
      if (mirror.mode() == MirrorMode.ACTIVE && !sameBytes) {
        return new PreparedChunk.Item(r, before, null, false, null);
      }
      // its dependency rows are read here, off the writing thread
      NewPackageFile row = r.row(channelId, mirror.label(), null).withDependencyRows();
      // else already here (an upload, another mirror), or the row keeps the bytes it had
      boolean noteSource = !sameBytes && !store.hasBytes(row.sha256());
      return new PreparedChunk.Item(r, before, row, noteSource, null);
    } catch (WharfException e) {
      return new PreparedChunk.Item(r, before, null, false, e);
    }
  }
}
