package io.wharf.conda.repodata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

/**
 * CEP 16 sharded repodata (CONDA.md §3.6): one zstd-compressed msgpack shard per package name, named by
 * the SHA-256 of its compressed bytes, plus a small index mapping names to those hashes. Shards are
 * content-addressed, so every map is written with sorted keys and the output is a pure function of the
 * input.
 */
public final class Shards {

  /** Any level works for clients; shards are small, so a high level costs little. */
  static final int SHARD_ZSTD_LEVEL = 19;

  private static final ObjectMapper JSON = new ObjectMapper();

  private Shards() {}

  /**
   * A shard for one package name in one subdir. {@code packages} is always written because rattler
   * requires it; records keep their JSON types, except {@code md5}/{@code sha256}, which become bin.
   */
  public static byte[] shard(
      SortedMap<String, String> tarBz2RecordJson, SortedMap<String, String> condaRecordJson, List<String> removed) {
    return shard(tarBz2RecordJson, condaRecordJson, removed, SHARD_ZSTD_LEVEL);
  }

  /** As above, at the given zstd level: a publisher writing many shards at once trades size for time. */
  public static byte[] shard(
      SortedMap<String, String> tarBz2RecordJson, SortedMap<String, String> condaRecordJson, List<String> removed,
      int zstdLevel) {
    return shardOfParsed(parseAll(tarBz2RecordJson), parseAll(condaRecordJson), removed, zstdLevel);
  }

  /**
   * As above, from records the caller has parsed already (JSON objects, as {@link ObjectMapper#readTree}
   * gives them), for a publisher that reads them for current_repodata too: the same bytes.
   */
  public static byte[] shardOfParsed(
      SortedMap<String, ? extends JsonNode> tarBz2Records, SortedMap<String, ? extends JsonNode> condaRecords,
      List<String> removed, int zstdLevel) {
    MessageBufferPacker out = MessagePack.newDefaultBufferPacker();
    try {
      out.packMapHeader(3);
      out.packString("packages");
      section(out, tarBz2Records);
      out.packString("packages.conda");
      section(out, condaRecords);
      out.packString("removed");
      TreeSet<String> sortedRemoved = new TreeSet<>(JsonText.CODE_POINT_ORDER);
      sortedRemoved.addAll(removed);
      out.packArrayHeader(sortedRemoved.size());
      for (String fn : sortedRemoved) {
        out.packString(fn);
      }
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Compression.zstd(out.toByteArray(), zstdLevel);
  }

  /**
   * The shard index. {@code version} 1 is what CEP 16 and conda-index write (rattler ignores it).
   *
   * @param baseUrl where package files are, relative to the index ({@code ""} = same directory)
   * @param shardsBaseUrl where shard files are, relative to the index (e.g. {@code "./shards/"})
   */
  public static byte[] index(
      String subdir, SortedMap<String, byte[]> nameToShardSha256, String baseUrl, String shardsBaseUrl,
      Instant createdAt) {
    return index(subdir, nameToShardSha256, baseUrl, shardsBaseUrl, createdAt, SHARD_ZSTD_LEVEL);
  }

  /**
   * As above; {@code createdAt} may be null to leave it out (CEP 16 makes it optional), which keeps
   * the index a function of its shards alone, and {@code zstdLevel} trades size for the time a large
   * index takes to compress on every change.
   */
  public static byte[] index(
      String subdir, SortedMap<String, byte[]> nameToShardSha256, String baseUrl, String shardsBaseUrl,
      Instant createdAt, int zstdLevel) {
    MessageBufferPacker out = MessagePack.newDefaultBufferPacker();
    try {
      out.packMapHeader(3);
      out.packString("info");
      out.packMapHeader(createdAt == null ? 3 : 4);
      out.packString("base_url");
      out.packString(baseUrl);
      if (createdAt != null) {
        out.packString("created_at");
        out.packString(DateTimeFormatter.ISO_INSTANT.format(createdAt.truncatedTo(ChronoUnit.SECONDS)));
      }
      out.packString("shards_base_url");
      out.packString(shardsBaseUrl);
      out.packString("subdir");
      out.packString(subdir);
      out.packString("shards");
      TreeMap<String, byte[]> sorted = new TreeMap<>(JsonText.CODE_POINT_ORDER);
      sorted.putAll(nameToShardSha256);
      out.packMapHeader(sorted.size());
      for (Map.Entry<String, byte[]> e : sorted.entrySet()) {
        if (e.getValue().length != 32) {
          throw new IllegalArgumentException("shard hash for " + e.getKey() + " is not 32 bytes");
        }
        out.packString(e.getKey());
        MsgpackJson.packBinary(out, e.getValue());
      }
      out.packString("version");
      out.packInt(1);
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Compression.zstd(out.toByteArray(), zstdLevel);
  }

  /** The raw SHA-256 of a compressed shard: its name in the index and, in hex, its file name. */
  public static byte[] sha256(byte[] compressedShard) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(compressedShard);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  public static String sha256Hex(byte[] data) {
    return HexFormat.of().formatHex(sha256(data));
  }

  /**
   * Decodes a shard or a shard index (zstd + msgpack) into JSON, binary values as lowercase hex, for
   * reading another channel's shards or checking our own. Decompression is bounded by {@code maxBytes}.
   */
  public static ObjectNode decode(byte[] compressed, long maxBytes) throws IOException {
    byte[] raw = Compression.unzstd(compressed, maxBytes);
    MessagePack.UnpackerConfig config = new MessagePack.UnpackerConfig().withStringSizeLimit(raw.length);
    try (MessageUnpacker in = config.newUnpacker(raw)) {
      JsonNode node = MsgpackJson.unpack(in, 0, raw.length);
      if (in.hasNext()) {
        throw new IOException("trailing data after msgpack value");
      }
      if (node instanceof ObjectNode object) {
        return object;
      }
      throw new IOException("msgpack document is not a map");
    }
  }

  private static void section(MessageBufferPacker out, SortedMap<String, ? extends JsonNode> records)
      throws IOException {
    TreeMap<String, JsonNode> sorted = new TreeMap<>(JsonText.CODE_POINT_ORDER);
    sorted.putAll(records);
    out.packMapHeader(sorted.size());
    for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
      out.packString(e.getKey());
      MsgpackJson.packRecord(out, e.getValue());
    }
  }

  private static SortedMap<String, JsonNode> parseAll(SortedMap<String, String> records) {
    TreeMap<String, JsonNode> out = new TreeMap<>(records.comparator());
    records.forEach((fn, json) -> out.put(fn, parseRecord(fn, json)));
    return out;
  }

  /** One record's JSON object, as {@link #shardOfParsed} takes it. */
  public static JsonNode parseRecord(String filename, String json) {
    try {
      JsonNode node = JSON.readTree(json);
      if (node != null && node.isObject()) {
        return node;
      }
    } catch (JsonProcessingException ignored) {
      // reported below
    }
    throw new IllegalArgumentException("record for " + filename + " is not a JSON object");
  }
}
