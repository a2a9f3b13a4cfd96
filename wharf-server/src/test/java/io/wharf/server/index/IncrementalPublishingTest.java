package io.wharf.server.index;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.conda.repodata.Compression;
import io.wharf.conda.repodata.CurrentRepodata;
import io.wharf.conda.repodata.RepodataBuilder;
import io.wharf.conda.repodata.Shards;
import io.wharf.conda.version.VersionOrder;
import io.wharf.server.channel.Channel;
import io.wharf.server.channel.JdbcChannelRepository;
import io.wharf.server.channel.Privacy;
import io.wharf.server.db.Database;
import io.wharf.server.events.Events;
import io.wharf.server.events.PackageRemoved;
import io.wharf.server.events.PackageStored;
import io.wharf.server.pkg.JdbcPackageFileRepository;
import io.wharf.server.pkg.NewPackageFile;
import io.wharf.server.pkg.PackageFile;
import io.wharf.server.pkg.PackageFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publishing name by name must give what building from all rows gives. Runs on a real channel of 5,643
 * records (index4.json), changed in random batches of uploads, replacements and deletions, and checks
 * every published form after each batch against the builders run over all rows; then checks that a
 * node starting from the same rows publishes byte-identical files with equal ETags.
 */
class IncrementalPublishingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private Database db;
  private JdbcPackageFileRepository files;
  private Events events;
  private IndexService index;
  private Channel channel;

  @BeforeEach
  void open() {
    db = Database.openSqlite(dir.resolve("wharf.db"));
    files = new JdbcPackageFileRepository(db);
    events = new Events();
    index = new IndexService(files, events, Clock.systemUTC(), dir.resolve("published-a"));
    channel = new JdbcChannelRepository(db).create("forge", "", Privacy.PUBLIC);
  }

  @AfterEach
  void close() {
    index.close();
    db.close();
  }

  @Test
  void incrementalPublicationsEqualFullBuildsAfterEveryBatchAndAcrossNodes() throws Exception {
    List<Map.Entry<String, JsonNode>> records = new ArrayList<>();
    JsonNode index4 = PackageFiles.index4();
    index4.fields().forEachRemaining(e -> {
      if (!e.getValue().has("subdir")) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) e.getValue()).put("subdir", "linux-64");
      }
      records.add(e);
    });
    Collections.shuffle(records, new Random(7));
    int half = records.size() / 2;
    for (Map.Entry<String, JsonNode> r : records.subList(0, half)) {
      store(PackageFiles.fromRecord(channel.id(), r.getKey(), r.getValue()));
    }
    // first publication: built from the rows
    assertMatchesRows("linux-64");
    assertMatchesRows("noarch");

    Random random = new Random(11);
    Iterator<Map.Entry<String, JsonNode>> rest = records.subList(half, records.size()).iterator();
    for (int batch = 0; batch < 6; batch++) {
      for (int i = 0; i < 300 && rest.hasNext(); i++) {
        Map.Entry<String, JsonNode> r = rest.next();
        store(PackageFiles.fromRecord(channel.id(), r.getKey(), r.getValue()));
      }
      List<PackageFile> all = files.listChannel(channel.id());
      for (int i = 0; i < 40; i++) {
        PackageFile victim = all.get(random.nextInt(all.size()));
        long seq = files.delete(victim.id()).orElse(0);
        if (seq > 0) {
          events.publish(new PackageRemoved(victim.channelId(), victim.label(), victim.subdir(), victim.filename(),
              victim.name(), seq));
        }
      }
      index.awaitPublished(60_000);
      assertMatchesRows("linux-64");
      assertMatchesRows("noarch");
    }

    Map<String, Artifact> first = published();
    try (IndexService other = new IndexService(files, new Events(), Clock.systemUTC(), dir.resolve("published-b"))) {
      Map<String, Artifact> second = publishedBy(other);
      for (String path : first.keySet()) {
        assertThat(second.get(path).etag()).as(path).isEqualTo(first.get(path).etag());
        assertThat(second.get(path).bytes()).as(path).isEqualTo(first.get(path).bytes());
      }
    }
  }

  @Test
  void preparingALabelPublishesEachOfItsSubdirsBeforeAnyReaderAsksAndNoOtherLabel() throws Exception {
    store(PackageFiles.file(channel.id(), "main", "linux-64", "a-1.0-0.conda"));
    store(PackageFiles.file(channel.id(), "main", "osx-arm64", "b-1.0-0.tar.bz2"));
    store(PackageFiles.file(channel.id(), "dev", "win-64", "c-1.0-0.conda"));
    index.awaitPublished(10_000);
    // nobody asked: a node publishes a location on the first request for it
    assertThat(index.publishedSubdir(channel, "main", "linux-64")).isEmpty();

    index.prepare(channel.id(), "main");
    index.prepare(channel.id(), "no-such-label");
    index.awaitPublished(10_000);

    assertThat(index.publishedSubdir(channel, "main", "linux-64")).hasValueSatisfying(
        s -> assertThat(s.file("a-1.0-0.conda")).isPresent());
    assertThat(index.publishedSubdir(channel, "main", "osx-arm64")).hasValueSatisfying(
        s -> assertThat(s.file("b-1.0-0.tar.bz2")).isPresent());
    assertThat(index.publishedSubdir(channel, "main", "noarch")).isPresent();
    assertThat(index.publishedChanneldata(channel, "main")).isPresent();
    assertThat(index.publishedSubdir(channel, "dev", "win-64")).isEmpty();
    assertThat(index.publishedChanneldata(channel, "dev")).isEmpty();
    assertThat(index.subdirStates().keySet()).noneMatch(loc -> loc.label().equals("no-such-label"));
  }

  @Test
  void publishingWithoutAChangeKeepsBytesEtagAndModificationTime() throws Exception {
    store(PackageFiles.file(channel.id(), "main", "noarch", "a-1.0-0.conda"));
    Map<String, Artifact> before = published();
    // a change elsewhere, then the same name again with the same rows
    store(PackageFiles.file(channel.id(), "main", "linux-64", "b-1.0-0.conda"));
    index.changed(channel.id(), "main", "noarch", "a", 0);
    index.awaitPublished(10_000);
    Map<String, Artifact> after = published();
    for (String path : List.of("noarch/repodata.json", "noarch/repodata.json.zst", "noarch/current_repodata.json",
        "noarch/repodata_shards.msgpack.zst")) {
      assertThat(after.get(path).etag()).as(path).isEqualTo(before.get(path).etag());
      assertThat(after.get(path).lastModified()).as(path).isEqualTo(before.get(path).lastModified());
      assertThat(after.get(path).bytes()).as(path).isEqualTo(before.get(path).bytes());
    }
    // and a real change gives every changed file a new, well-formed strong ETag
    store(PackageFiles.file(channel.id(), "main", "noarch", "a-2.0-0.conda"));
    Map<String, Artifact> changed = published();
    for (String path : List.of("noarch/repodata.json", "noarch/repodata.json.zst", "noarch/current_repodata.json",
        "noarch/current_repodata.json.zst", "noarch/repodata_shards.msgpack.zst", "channeldata.json")) {
      assertThat(changed.get(path).etag()).as(path).matches("\"[0-9a-f]{32}\"")
          .isNotEqualTo(after.get(path).etag());
    }
  }

  private void store(NewPackageFile f) {
    var inserted = files.insert(f, true);
    events.publish(new PackageStored(f.channelId(), f.label(), f.subdir(), f.filename(), f.name(), inserted.seq()));
  }

  private Map<String, Artifact> published() throws TimeoutException {
    return publishedBy(index);
  }

  private Map<String, Artifact> publishedBy(IndexService service) throws TimeoutException {
    service.awaitPublished(60_000);
    Map<String, Artifact> out = new TreeMap<>();
    for (String subdir : List.of("linux-64", "noarch")) {
      SubdirSnapshot s = service.subdir(channel, "main", subdir).orElseThrow();
      for (String f : List.of("repodata.json", "repodata.json.zst", "current_repodata.json",
          "current_repodata.json.zst", "repodata_shards.msgpack.zst")) {
        out.put(subdir + "/" + f, s.metadata(f).orElseThrow());
      }
    }
    out.put("channeldata.json", service.channeldata(channel, "main").orElseThrow());
    return out;
  }

  private void assertMatchesRows(String subdir) throws IOException, TimeoutException {
    index.awaitPublished(60_000);
    SubdirSnapshot snap = index.subdir(channel, "main", subdir).orElseThrow();
    SortedMap<String, String> tar = new TreeMap<>();
    SortedMap<String, String> conda = new TreeMap<>();
    for (PackageFile f : files.listSubdir(channel.id(), "main", subdir)) {
      (f.filename().endsWith(".conda") ? conda : tar).put(f.filename(), f.recordJson());
    }
    Artifact repodata = snap.metadata("repodata.json").orElseThrow();
    byte[] plain = repodata.bytes();
    assertThat(JSON.readTree(plain)).as(subdir + " repodata.json")
        .isEqualTo(JSON.readTree(RepodataBuilder.build(subdir, tar, conda, List.of(), Optional.empty())));
    assertThat(Compression.unzstd(snap.metadata("repodata.json.zst").orElseThrow().bytes(), 1L << 30))
        .as("every zstd frame together decodes to the JSON").isEqualTo(plain);
    assertThat(new GZIPInputStream(new ByteArrayInputStream(repodata.gzip().bytes())).readAllBytes())
        .as("every gzip member together decodes to the JSON").isEqualTo(plain);

    JsonNode current = JSON.readTree(snap.metadata("current_repodata.json").orElseThrow().bytes());
    JsonNode expected = JSON.readTree(CurrentRepodata.build(subdir, tar, conda, VersionOrder.COMPARATOR));
    assertThat(fieldNames(current.get("packages.conda"))).as(subdir + " current .conda")
        .containsAll(fieldNames(expected.get("packages.conda")));
    assertThat(fieldNames(current.get("packages"))).as(subdir + " current .tar.bz2")
        .containsAll(fieldNames(expected.get("packages")));
    for (String key : List.of("packages", "packages.conda")) {
      current.get(key).fields().forEachRemaining(e -> {
        if (expected.get(key).has(e.getKey())) {
          assertThat(e.getValue()).as(e.getKey()).isEqualTo(expected.get(key).get(e.getKey()));
        }
      });
    }

    JsonNode shardIndex = Shards.decode(snap.metadata("repodata_shards.msgpack.zst").orElseThrow().bytes(), 1L << 30);
    java.util.Set<String> names = new java.util.TreeSet<>();
    tar.values().forEach(j -> names.add(name(j)));
    conda.values().forEach(j -> names.add(name(j)));
    assertThat(fieldNames(shardIndex.get("shards"))).as(subdir + " shard names").isEqualTo(new ArrayList<>(names));
  }

  private static String name(String recordJson) {
    try {
      return JSON.readTree(recordJson).get("name").asText();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.fieldNames().forEachRemaining(out::add);
    Collections.sort(out);
    return out;
  }
}
