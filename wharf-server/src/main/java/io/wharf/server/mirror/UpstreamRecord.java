package io.wharf.server.mirror;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.conda.pkg.PackageFilename;
import io.wharf.conda.repodata.RepodataRecords;
import io.wharf.server.error.WharfException;
import io.wharf.server.pkg.NewPackageFile;
import io.wharf.server.pkg.PackageFile;
import io.wharf.server.trust.TrustFormats;
import io.wharf.server.pkg.PackageStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * One record of an upstream repodata, kept as upstream wrote it: every field, patched ones included,
 * serialized once the way this server stores records (compact, sorted keys). {@code signatures} is the
 * record's entry of the repodata's top-level {@code signatures} (conda-content-trust), or null; the row
 * carries it, and it is published while this server has no signing keys of its own. {@code rawDigest} is
 * {@link #rawDigest} of the bytes upstream served for it, or null when it was not read from a document.
 */
record UpstreamRecord(String subdir, String filename, ObjectNode record, String text, String digest, String url,
    String signatures, String rawDigest) {
  /**
   * Names the rules by which a record's bytes become its row ({@link #of}, {@link #row}) and its digest. A raw
   * digest vouches for a row only under the rules that wrote it: whoever changes those rules changes this
   * tag, and rows written before are then compared by their record digest again.
   */
  static final String RAW_RULES = "wharf-mirror-record/1";

  static UpstreamRecord of(String subdir, String filename, JsonNode record, String fileBase, JsonNode signatures) {
    return of(subdir, filename, record, fileBase, signatures, null);
  }

  /**
   * The digest of a record's bytes as upstream served them, with its signatures (null: none) and the
   * rules tag: equal digests mean the same row, so a run skips such a record without parsing it.
   */
  static String rawDigest(byte[] raw, String signatures) {
    return HexFormat.of().formatHex(rawDigestBytes(raw, signatures));
  }

  /** {@link #rawDigest} as its 32 bytes. */
  static byte[] rawDigestBytes(byte[] raw, String signatures) {
    MessageDigest md = sha256Digester();
    md.update(RAW_RULES_LINE);
    md.update(raw);
    if (signatures != null) {
      md.update(("\n" + signatures).getBytes(StandardCharsets.UTF_8));
    }
    return md.digest();
  }

  // A run digests every record upstream lists: a copy of one digester costs less than looking the algorithm
  // up each time (a provider search and a reflective construction cost more than the digest of a record)
  // and than a thread-local lookup. The prototype itself is never used, so copies may be taken concurrently.
  private static final MessageDigest SHA256_PROTOTYPE = newSha256();

  private static MessageDigest sha256Digester() {
    try {
      return (MessageDigest) SHA256_PROTOTYPE.clone();
    } catch (CloneNotSupportedException e) {
      return newSha256();
    }
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final byte[] RAW_RULES_LINE = (RAW_RULES + "\n").getBytes(StandardCharsets.UTF_8);

  /** The text of a record's entry in the repodata's {@code signatures}, or null when it has none. */
  static String signaturesText(JsonNode signatures) {
    return signatures == null || signatures.isMissingNode() || signatures.isNull() ? null : signatures.toString();
  }

  static UpstreamRecord of(String subdir, String filename, JsonNode record, String fileBase, JsonNode signatures,
      String rawDigest) {
    if (!record.isObject()) {
      throw WharfException.invalid("invalid_record", filename + ": the record is not a JSON object");
    }
    String text = RepodataRecords.toJson((ObjectNode) record);
    String sigs = signaturesText(signatures);
    // the digest covers the signatures too, so an upstream that re-signs a record has it written again;
    // an unsigned record's digest is that of its text alone
    return new UpstreamRecord(subdir, filename, (ObjectNode) record, text, sha256(sigs == null ? text
        : text + "\n" + sigs), fileBase + filename, sigs, rawDigest);
  }

  String sha256() {
    String sha = record.path("sha256").asText("").toLowerCase(Locale.ROOT);
    if (!TrustFormats.isHex(sha, 64)) { // no regular expression: asked several times per record a run writes
      throw WharfException.invalid("invalid_record", filename + ": the record has no sha256, so the file could"
          + " not be checked");
    }
    return sha;
  }


  long size() {
    JsonNode size = record.get("size");
    if (size == null || !size.canConvertToLong() || size.asLong() < 0) {
      throw WharfException.invalid("invalid_record", filename + ": the record has no size");
    }
    return size.asLong();
  }

  /** The row for this record; {@code md5} is the record's, else the one measured on download ("" if neither). */
  NewPackageFile row(long channelId, String label, String measuredMd5) {
    PackageFilename fn;
    try {
      fn = PackageFilename.parse(filename);
    } catch (IllegalArgumentException e) {
      throw WharfException.invalid("invalid_filename", filename + ": " + e.getMessage());
    }
    String name = record.path("name").asText(fn.name());
    if (!name.equals(fn.name()) || !record.path("version").asText(fn.version()).equals(fn.version())
        || !record.path("build").asText(fn.build()).equals(fn.build())) {
      throw WharfException.invalid("filename_mismatch", filename + ": the record names another package");
    }
    String md5 = record.path("md5").asText(measuredMd5 == null ? "" : measuredMd5).toLowerCase(Locale.ROOT);
    String sha = sha256();
    // the index.json is the record less its repodata fields, read from the record (PackageFile.indexDocument)
    return new NewPackageFile(channelId, label, subdir, filename, name, fn.version(), fn.build(),
        record.path("build_number").asLong(0), md5, sha, size(), PackageStore.blobKey(sha), text,
        PackageFile.INDEX_FROM_RECORD, null, null, null, null, signatures);
  }

  static String sha256(String text) {
    return HexFormat.of().formatHex(sha256Digester().digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}
