package io.wharf.server.check;

import io.wharf.server.channel.ChannelNames;
import io.wharf.server.pkg.PackageFileRepository;
import io.wharf.server.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongFunction;

/**
 * Rows against blobs, both ways: every row's blob exists with the size and SHA-256 the row records, and
 * every package blob has a row or is still within the sweeper's grace period.
 */
final class BlobChecks {
  private static final int PAGE = 500;
  /** Copies share a blob; remembering recent verdicts spares reading the same bytes again. */
  private static final int REMEMBERED = 10_000;
  private static final List<String> PREFIXES = List.of("sha256/", "packages/");

  private final JdbcCheckQueries queries;
  private final PackageFileRepository files;
  private final BlobStore blobs;
  private final long graceMillis;
  private final LongFunction<String> channelName;

  BlobChecks(JdbcCheckQueries queries, PackageFileRepository files, BlobStore blobs, long graceMillis,
      LongFunction<String> channelName) {
    this.queries = queries;
    this.files = files;
    this.blobs = blobs;
    this.graceMillis = graceMillis;
    this.channelName = channelName;
  }

  /** Reads every row a page at a time and each blob it names; returns how many rows were checked. */
  long rowsHaveBlobs(CheckListener listener) {
    listener.stage("package files and their blobs", queries.rowCount());
    Map<String, Problem> verdicts = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Problem> eldest) {
        return size() > REMEMBERED;
      }
    };
    Problem fine = new Problem("ok", "", "", false);
    long checked = 0;
    long after = 0;
    while (true) {
      List<JdbcCheckQueries.RowBlob> page = queries.rowsAfter(after, PAGE);
      for (JdbcCheckQueries.RowBlob row : page) {
        String verdictKey = row.blobKey() + '\n' + row.size() + '\n' + row.sha256();
        Problem verdict = verdicts.get(verdictKey);
        if (verdict == null) {
          verdict = verify(row);
          verdicts.put(verdictKey, verdict == null ? fine : verdict);
        }
        if (verdict != null && verdict != fine) {
          listener.problem(new Problem(verdict.kind(), subject(row), verdict.message(), false));
        }
        checked++;
        listener.advanced();
      }
      if (page.size() < PAGE) {
        return checked;
      }
      after = page.get(page.size() - 1).id();
    }
  }

  /** Null when the blob holds what the row records. */
  private Problem verify(JdbcCheckQueries.RowBlob row) {
    String key = row.blobKey();
    try {
      Optional<Long> size = blobs.size(key);
      if (size.isEmpty()) {
        return new Problem("missing_blob", "", "blob " + key + " is not in the store", false);
      }
      if (size.get() != row.size()) {
        return new Problem("wrong_size", "", "blob " + key + " holds " + size.get() + " bytes, the row records "
            + row.size(), false);
      }
      String actual = sha256(key);
      if (!actual.equalsIgnoreCase(row.sha256())) {
        return new Problem("wrong_sha256", "", "blob " + key + " has SHA-256 " + actual + ", the row records "
            + row.sha256(), false);
      }
      return null;
    } catch (IOException | RuntimeException e) {
      // unreachable is not missing: the row stays, and a later check tells which it was
      return new Problem("blob_unreadable", "", "blob " + key + " could not be read: " + e.getMessage(), false);
    }
  }

  private String sha256(String key) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream in = new DigestInputStream(blobs.open(key), md)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private String subject(JdbcCheckQueries.RowBlob row) {
    String label = row.label().equals(ChannelNames.DEFAULT_LABEL) ? "" : "/label/" + row.label();
    return channelName.apply(row.channelId()) + label + "/" + row.subdir() + "/" + row.filename();
  }

  /**
   * Every package blob without a row: within the grace period (written or marked unused less than that
   * long ago) it is the sweeper's business and no problem; past it, an orphan, deleted with
   * {@code repair} under the sweeper's own conditions. Returns how many blobs were looked at.
   */
  long blobsHaveRows(CheckListener listener, boolean repair, long nowMillis) throws IOException {
    long before = nowMillis - graceMillis;
    long checked = 0;
    for (String prefix : PREFIXES) {
      List<String> keys = blobs.list(prefix);
      listener.stage("stored blobs under " + prefix, keys.size());
      for (String key : keys) {
        checked++;
        listener.advanced();
        if (files.blobReferenced(key)) {
          continue;
        }
        Optional<Instant> modified = blobs.modified(key);
        OptionalLong mark = queries.garbageMark(key);
        boolean young = modified.isEmpty() || modified.get().toEpochMilli() >= before
            || (mark.isPresent() && mark.getAsLong() >= before);
        if (young) {
          continue;
        }
        Problem p = new Problem("orphan_blob", key, "no row uses this blob, last written "
            + modified.get() + " (past the " + graceMillis / 60_000 + " min grace period)", false);
        if (repair && removeOrphan(key, before)) {
          p = p.fixed();
        }
        listener.problem(p);
      }
    }
    return checked;
  }

  /** Deletes the blob only if, looked at again just now, it is still unused and not written since. */
  private boolean removeOrphan(String key, long before) throws IOException {
    Optional<Instant> modified = blobs.modified(key);
    if (modified.isEmpty() || modified.get().toEpochMilli() >= before || files.blobReferenced(key)) {
      return false;
    }
    boolean deleted = blobs.delete(key);
    files.unmarkGarbage(key);
    return deleted;
  }
}
