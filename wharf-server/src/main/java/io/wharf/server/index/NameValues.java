package io.wharf.server.index;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.conda.repodata.CurrentSelection;
import io.wharf.conda.repodata.PatchInstructions;
import io.wharf.conda.repodata.Shards;
import io.wharf.conda.version.VersionOrder;
import io.wharf.server.index.store.Layout;
import io.wharf.server.pkg.PackageFileRepository.PublishRow;
import io.wharf.server.trust.RecordSigner;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one package name contributes to its subdir's published files, computed from that name's rows
 * alone: its records for {@code packages} and {@code packages.conda}, its current_repodata records, its
 * file table (for serving package files) and its CEP 16 shard.
 */
final class NameValues {
  static final int TAR = 0;
  static final int CONDA = 1;
  static final int CURRENT_TAR = 2;
  static final int CURRENT_CONDA = 3;
  static final int FILES = 4;
  /** Entries of repodata's top-level {@code signatures}: {@code "filename":{"<key id>":{"signature":..}}}. */
  static final int SIGS = 5;
  /** The same for the records current_repodata lists. */
  static final int CURRENT_SIGS = 6;
  /** Quoted filenames the subdir's patch instructions remove, for repodata's top-level {@code removed}. */
  static final int REMOVED = 7;
  static final Layout LAYOUT = Layout.of(new String[] {",", ",", ",", ",", "", ",", ",", ","},
      new boolean[] {true, true, true, true, false, true, true, true});

  final String name;
  final SortedMap<String, String> tarBz2 = new TreeMap<>();
  final SortedMap<String, String> conda = new TreeMap<>();
  final SortedMap<String, String> signatures = new TreeMap<>();
  /** Files the patch instructions take out of the records; they stay in the file table, downloadable. */
  final java.util.SortedSet<String> removed = new java.util.TreeSet<>();
  final String files;
  final int fileCount;

  NameValues(String name, List<PublishRow> rows) {
    this(name, rows, PatchInstructions.NONE, RecordSigner.NONE);
  }

  /**
   * The rows as published: each stored record with the subdir's patch instructions applied (the rows
   * themselves stay as uploaded). A patched record of a signed row is signed again as served, since the
   * stored signature covers the stored text.
   */
  NameValues(String name, List<PublishRow> rows, PatchInstructions patches, RecordSigner signer) {
    this.name = name;
    StringBuilder table = new StringBuilder();
    for (PublishRow r : rows) {
      PatchInstructions.Patched p = patches.apply(r.filename(), r.recordJson());
      if (p.removed()) {
        removed.add(r.filename());
      } else {
        String json = p.json().orElseThrow();
        (r.filename().endsWith(".conda") ? conda : tarBz2).put(r.filename(), json);
        String sig = r.signaturesJson() == null || json.equals(r.recordJson()) ? r.signaturesJson() : signer.sign(json);
        if (sig != null) {
          signatures.put(r.filename(), sig);
        }
      }
      table.append(new PublishedFile(r.filename(), r.blobKey(), r.size(), r.sha256(), r.uploadedAt()).line());
    }
    this.files = table.toString();
    this.fileCount = rows.size();
  }

  boolean isEmpty() {
    return fileCount == 0;
  }

  /** The published records parsed once, for both the current_repodata selection and the shard. */
  private Map<String, JsonNode> parsed;

  private Map<String, JsonNode> parsed() {
    if (parsed == null) {
      parsed = new java.util.HashMap<>();
      tarBz2.forEach((fn, json) -> parsed.put(fn, Shards.parseRecord(fn, json)));
      conda.forEach((fn, json) -> parsed.put(fn, Shards.parseRecord(fn, json)));
    }
    return parsed;
  }

  CurrentSelection.Name selection() {
    return CurrentSelection.Name.ofParsed(name, tarBz2, conda, parsed(), VersionOrder.memoizing());
  }

  /**
   * A middle zstd level: the default for single shards (19) makes building a large subdir take minutes,
   * and shards are small, so the saving it buys is small.
   */
  static final int SHARD_ZSTD_LEVEL = 6;

  byte[] shard() {
    Map<String, JsonNode> records = parsed();
    SortedMap<String, JsonNode> t = new TreeMap<>();
    tarBz2.keySet().forEach(fn -> t.put(fn, records.get(fn)));
    SortedMap<String, JsonNode> c = new TreeMap<>();
    conda.keySet().forEach(fn -> c.put(fn, records.get(fn)));
    return Shards.shardOfParsed(t, c, List.copyOf(removed), SHARD_ZSTD_LEVEL);
  }

  /** Parts for the segmented document, with the given current_repodata records of this name. */
  byte[][] values(CurrentSelection.Name selection, Collection<CurrentSelection.Candidate> current,
      RecordSigner signer) {
    byte[][] v = new byte[LAYOUT.parts()][];
    v[TAR] = entries(tarBz2);
    v[CONDA] = entries(conda);
    v[SIGS] = entries(signatures);
    v[FILES] = utf8(files);
    v[REMOVED] = utf8(String.join(",", removed.stream().map(JsonStrings::quote).toList()));
    SortedMap<String, String> records = new TreeMap<>(tarBz2);
    records.putAll(conda);
    setCurrent(v, selection, current, records, signatures, signer);
    return v;
  }

  /**
   * Sets the current_repodata parts. A record current_repodata serves as stored keeps the stored
   * signatures; one it changes (a .conda record given its .tar.bz2 twin's {@code legacy_bz2_md5}) is a
   * different record, so it is signed here, as it will be served.
   */
  static void setCurrent(byte[][] values, CurrentSelection.Name selection,
      Collection<CurrentSelection.Candidate> current, Map<String, String> records, Map<String, String> signatures,
      RecordSigner signer) {
    SortedMap<String, String> t = new TreeMap<>();
    SortedMap<String, String> c = new TreeMap<>();
    SortedMap<String, String> sigs = new TreeMap<>();
    for (CurrentSelection.Candidate cand : current) {
      String json = selection.currentJson(cand);
      (cand.isConda() ? c : t).put(cand.filename(), json);
      String stored = signatures.get(cand.filename());
      if (stored == null) {
        continue;
      }
      String signed = json.equals(records.get(cand.filename())) ? stored : signer.sign(json);
      if (signed != null) {
        sigs.put(cand.filename(), signed);
      }
    }
    values[CURRENT_TAR] = entries(t);
    values[CURRENT_CONDA] = entries(c);
    values[CURRENT_SIGS] = entries(sigs);
  }

  /** {@code "filename":record} pairs joined by commas, in filename order. */
  static byte[] entries(SortedMap<String, String> records) {
    if (records.isEmpty()) {
      return new byte[0];
    }
    StringBuilder sb = new StringBuilder();
    records.forEach((fn, json) -> {
      if (json.length() < 2 || json.charAt(0) != '{' || json.charAt(json.length() - 1) != '}') {
        throw new IllegalArgumentException("record for " + fn + " is not a JSON object");
      }
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(JsonStrings.quote(fn)).append(':').append(json);
    });
    return utf8(sb.toString());
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
