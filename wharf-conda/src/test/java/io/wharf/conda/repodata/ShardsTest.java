package io.wharf.conda.repodata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.MapValue;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;
import org.msgpack.value.ValueType;

class ShardsTest {

  private static final long LIMIT = 1 << 20;
  private static final Path REPO = Fixtures.real("conda-format-repo/linux-64");

  @Test
  void fixtureShardFileNamesAreTheSha256OfTheirCompressedBytes() throws Exception {
    List<Path> shards = fixtureShards();
    assertThat(shards).hasSize(2);
    for (Path shard : shards) {
      assertThat(shard.getFileName().toString()).isEqualTo(Shards.sha256Hex(Files.readAllBytes(shard)) + ".msgpack.zst");
    }
  }

  @Test
  void decodesTheFixtureIndexAndEveryHashNamesAFixtureShard() throws Exception {
    ObjectNode index = Shards.decode(Files.readAllBytes(REPO.resolve("repodata_shards.msgpack.zst")), LIMIT);

    assertThat(index.get("version").asInt()).isEqualTo(1);
    assertThat(index.at("/info/subdir").asText()).isEqualTo("linux-64");
    assertThat(index.get("shards").properties()).extracting(Map.Entry::getKey).containsExactlyInAnyOrder("libgcc-ng", "zlib");
    for (Map.Entry<String, JsonNode> e : index.get("shards").properties()) {
      assertThat(REPO.resolve(e.getValue().asText() + ".msgpack.zst")).as(e.getKey()).exists();
    }
  }

  @Test
  void fixtureShardsHoldTheSameRecordsAsTheMonolithicRepodata() throws Exception {
    ObjectNode repodata = Fixtures.json("conda-format-repo/linux-64/repodata.json");
    Map<String, JsonNode> inShards = new TreeMap<>();
    Map<String, JsonNode> inRepodata = new TreeMap<>();
    for (String section : new String[] {"packages", "packages.conda"}) {
      for (Path file : fixtureShards()) {
        ObjectNode shard = Shards.decode(Files.readAllBytes(file), LIMIT);
        for (Map.Entry<String, JsonNode> e : shard.path(section).properties()) {
          assertThat(inShards.put(section + "/" + e.getKey(), e.getValue())).as("in one shard only").isNull();
        }
      }
      repodata.get(section).properties().forEach(e -> inRepodata.put(section + "/" + e.getKey(), e.getValue()));
    }
    // Every record of the subdir, each in one shard, none other.
    assertThat(inRepodata).hasSize(3);
    assertThat(inShards).isEqualTo(inRepodata);
  }

  @Test
  void ourShardDecodesToTheSameRecordsAsTheFixtureShard() throws Exception {
    ObjectNode repodata = Fixtures.json("conda-format-repo/linux-64/repodata.json");
    SortedMap<String, String> tarBz2 = onlyName(Fixtures.section(repodata, "packages"), "zlib-");
    SortedMap<String, String> conda = onlyName(Fixtures.section(repodata, "packages.conda"), "zlib-");
    ObjectNode fixtureZlib = Shards.decode(Files.readAllBytes(fixtureShardFor("zlib")), LIMIT);

    ObjectNode ours = Shards.decode(Shards.shard(tarBz2, conda, List.of()), LIMIT);

    assertThat(ours.get("packages")).isEqualTo(fixtureZlib.get("packages"));
    assertThat(ours.get("packages.conda")).isEqualTo(fixtureZlib.get("packages.conda"));
    assertThat(ours.get("removed")).isEmpty();
  }

  @Test
  void checksumsAreBinaryAndNumbersStayIntegers() throws Exception {
    ObjectNode repodata = Fixtures.json("conda-format-repo/linux-64/repodata.json");
    byte[] shard = Shards.shard(Fixtures.section(repodata, "packages"), new TreeMap<>(), List.of());

    MapValue root = rawMsgpack(shard);
    MapValue record = root.map().get(ValueFactory.newString("packages")).asMapValue()
        .map().get(ValueFactory.newString("zlib-1.2.11-h7b6447c_3.tar.bz2")).asMapValue();
    Value md5 = record.map().get(ValueFactory.newString("md5"));
    Value sha256 = record.map().get(ValueFactory.newString("sha256"));

    assertThat(md5.getValueType()).isEqualTo(ValueType.BINARY);
    assertThat(HexFormat.of().formatHex(md5.asBinaryValue().asByteArray())).isEqualTo("2e5b81671cc2b53177b94b258b1658b2");
    assertThat(sha256.asBinaryValue().asByteArray()).hasSize(32);
    assertThat(record.map().get(ValueFactory.newString("size")).getValueType()).isEqualTo(ValueType.INTEGER);
    assertThat(record.map().get(ValueFactory.newString("timestamp")).asIntegerValue().toLong()).isEqualTo(1542814864621L);
    assertThat(record.map().get(ValueFactory.newString("depends")).getValueType()).isEqualTo(ValueType.ARRAY);
  }

  @Test
  void shardBytesAreDeterministicWithSortedKeysAndAlwaysHavePackages() throws Exception {
    SortedMap<String, String> conda = new TreeMap<>();
    conda.put("b-1-0.conda", "{\"version\":\"1\",\"name\":\"b\",\"depends\":[],\"build\":\"0\"}");

    byte[] first = Shards.shard(new TreeMap<>(), conda, List.of("b-0-0.conda"));
    byte[] second = Shards.shard(new TreeMap<>(), new TreeMap<>(conda), List.of("b-0-0.conda"));

    assertThat(first).isEqualTo(second);
    assertThat(Shards.sha256Hex(first)).isEqualTo(Shards.sha256Hex(second));
    MapValue root = rawMsgpack(first);
    assertThat(root.keySet()).extracting(Value::toString).containsExactly("packages", "packages.conda", "removed");
    assertThat(root.map().get(ValueFactory.newString("packages")).asMapValue().size()).isZero();
    MapValue record = root.map().get(ValueFactory.newString("packages.conda")).asMapValue()
        .map().get(ValueFactory.newString("b-1-0.conda")).asMapValue();
    assertThat(record.keySet()).extracting(Value::toString).containsExactly("build", "depends", "name", "version");
  }

  @Test
  void indexRoundTripsThroughTheReader() throws Exception {
    byte[] zlibShard = Files.readAllBytes(fixtureShardFor("zlib"));
    SortedMap<String, byte[]> hashes = new TreeMap<>();
    hashes.put("zlib", Shards.sha256(zlibShard));
    hashes.put("libgcc-ng", Shards.sha256(Files.readAllBytes(fixtureShardFor("libgcc-ng"))));

    byte[] index = Shards.index("linux-64", hashes, "", "./shards/", Instant.parse("2026-01-02T03:04:05.678Z"));

    ObjectNode decoded = Shards.decode(index, LIMIT);
    assertThat(decoded.get("version").asInt()).isEqualTo(1);
    assertThat(decoded.get("info").toString()).isEqualTo(
        "{\"base_url\":\"\",\"created_at\":\"2026-01-02T03:04:05Z\",\"shards_base_url\":\"./shards/\",\"subdir\":\"linux-64\"}");
    assertThat(decoded.at("/shards/zlib").asText()).isEqualTo(Shards.sha256Hex(zlibShard));
    assertThat(rawMsgpack(index).map().get(ValueFactory.newString("shards")).asMapValue()
        .map().get(ValueFactory.newString("zlib")).getValueType()).isEqualTo(ValueType.BINARY);
    ObjectNode fixtureIndex = Shards.decode(Files.readAllBytes(REPO.resolve("repodata_shards.msgpack.zst")), LIMIT);
    assertThat(decoded.get("shards")).isEqualTo(fixtureIndex.get("shards"));
  }

  @Test
  void indexRejectsAHashThatIsNotSha256() {
    SortedMap<String, byte[]> hashes = new TreeMap<>();
    hashes.put("zlib", new byte[16]);
    assertThatThrownBy(() -> Shards.index("linux-64", hashes, "", "", Instant.EPOCH))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void decodeRejectsMsgpackThatIsNotAStringKeyedMap() {
    byte[] array = Compression.zstd(new byte[] {(byte) 0x91, 0x01}, 3);
    byte[] intKeys = Compression.zstd(new byte[] {(byte) 0x81, 0x01, 0x02}, 3);
    byte[] hugeBinary = Compression.zstd(new byte[] {(byte) 0x81, (byte) 0xa1, 'a', (byte) 0xc6, 0x7f, 0, 0, 0}, 3);

    assertThatThrownBy(() -> Shards.decode(array, LIMIT)).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> Shards.decode(intKeys, LIMIT)).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> Shards.decode(hugeBinary, LIMIT)).isInstanceOf(IOException.class);
  }

  @Test
  void aShardOfRecordsParsedByTheCallerHasTheSameBytes() throws Exception {
    ObjectNode repodata = Fixtures.json("conda-format-repo/linux-64/repodata.json");
    SortedMap<String, String> tarBz2 = Fixtures.section(repodata, "packages");
    SortedMap<String, String> conda = Fixtures.section(repodata, "packages.conda");
    SortedMap<String, JsonNode> parsedTar = new TreeMap<>();
    tarBz2.forEach((fn, json) -> parsedTar.put(fn, Shards.parseRecord(fn, json)));
    SortedMap<String, JsonNode> parsedConda = new TreeMap<>();
    conda.forEach((fn, json) -> parsedConda.put(fn, Shards.parseRecord(fn, json)));

    assertThat(Shards.shardOfParsed(parsedTar, parsedConda, List.of("gone-1-0.conda"), 6))
        .isEqualTo(Shards.shard(tarBz2, conda, List.of("gone-1-0.conda"), 6));
    assertThatThrownBy(() -> Shards.parseRecord("x-1-0.conda", "[1]"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x-1-0.conda");
  }

  private static SortedMap<String, String> onlyName(SortedMap<String, String> section, String prefix) {
    SortedMap<String, String> out = new TreeMap<>(section);
    out.keySet().removeIf(fn -> !fn.startsWith(prefix));
    return out;
  }

  private static Path fixtureShardFor(String name) throws IOException {
    ObjectNode index = Shards.decode(Files.readAllBytes(REPO.resolve("repodata_shards.msgpack.zst")), LIMIT);
    return REPO.resolve(index.get("shards").get(name).asText() + ".msgpack.zst");
  }

  private static List<Path> fixtureShards() throws IOException {
    try (Stream<Path> files = Files.list(REPO)) {
      return files.filter(p -> p.getFileName().toString().matches("[0-9a-f]{64}\\.msgpack\\.zst")).toList();
    }
  }

  private static MapValue rawMsgpack(byte[] compressed) throws IOException {
    try (MessageUnpacker in = MessagePack.newDefaultUnpacker(Compression.unzstd(compressed, LIMIT))) {
      return in.unpackValue().asMapValue();
    }
  }
}
