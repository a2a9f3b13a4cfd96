package io.wharf.server.index;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.conda.repodata.PatchInstructions;
import io.wharf.server.channel.Channel;
import io.wharf.server.channel.JdbcChannelRepository;
import io.wharf.server.channel.Privacy;
import io.wharf.server.db.Database;
import io.wharf.server.events.Events;
import io.wharf.server.events.PackageStored;
import io.wharf.server.pkg.JdbcPackageFileRepository;
import io.wharf.server.pkg.NewPackageFile;
import io.wharf.server.pkg.PackageFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * channeldata.json kept name by name with patch instructions in force equals what a node building it from
 * the same rows and instructions publishes, republishing unchanged names keeps its bytes and ETag, and
 * instructions that touch none of the label's records leave it byte-identical.
 */
class PatchedChanneldataPublishingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private Database db;
  private JdbcPackageFileRepository files;
  private Events events;
  private IndexService index;
  private Channel channel;
  private final Map<String, PatchInstructions> instructions = new ConcurrentHashMap<>();
  private final PatchSource patches = (channelId, subdir) -> instructions.getOrDefault(subdir, PatchInstructions.NONE);

  @BeforeEach
  void open() {
    db = Database.openSqlite(dir.resolve("wharf.db"));
    files = new JdbcPackageFileRepository(db);
    events = new Events();
    index = new IndexService(files, events, Clock.systemUTC(), dir.resolve("published-a"));
    index.usePatches(patches);
    channel = new JdbcChannelRepository(db).create("forge", "", Privacy.PUBLIC);
    store(PackageFiles.file(channel.id(), "main", "noarch", "a-1.0-0.conda"));
    store(PackageFiles.file(channel.id(), "main", "noarch", "a-2.0-0.conda"));
    store(PackageFiles.file(channel.id(), "main", "linux-64", "b-1.0-0.conda"));
  }

  @AfterEach
  void close() {
    index.close();
    db.close();
  }

  @Test
  void patchedChanneldataEqualsAFreshBuildKeepsItsBytesWhenNothingChangesAndComesBackWithoutPatches()
      throws Exception {
    Artifact unpatched = channeldata(index);

    instructions.put("noarch", patch("{\"remove\":[\"a-2.0-0.conda\"],"
        + "\"packages\":{\"a-1.0-0.conda\":{\"license\":\"MIT\"}}}"));
    instructions.put("linux-64", patch("{\"remove\":[\"b-1.0-0.conda\"]}"));
    announce(); // what PatchesChanged hands the publisher
    Artifact patched = channeldata(index);
    JsonNode doc = JSON.readTree(patched.bytes());
    assertThat(doc.get("packages").get("a").get("version").asText()).isEqualTo("1.0");
    assertThat(doc.get("packages").get("a").get("license").asText()).isEqualTo("MIT");
    assertThat(doc.get("packages").has("b")).isFalse();
    assertThat(texts(doc.get("subdirs"))).as("linux-64 is still served").containsExactly("linux-64", "noarch");

    try (IndexService other = new IndexService(files, new Events(), Clock.systemUTC(), dir.resolve("published-b"))) {
      other.usePatches(patches);
      Artifact built = channeldata(other);
      assertThat(new String(built.bytes(), StandardCharsets.UTF_8))
          .isEqualTo(new String(patched.bytes(), StandardCharsets.UTF_8));
      assertThat(built.etag()).isEqualTo(patched.etag());
    }

    announce();
    Artifact again = channeldata(index);
    assertThat(again.bytes()).isEqualTo(patched.bytes());
    assertThat(again.etag()).isEqualTo(patched.etag());
    assertThat(again.lastModified()).isEqualTo(patched.lastModified());

    instructions.clear();
    announce();
    Artifact restored = channeldata(index);
    assertThat(restored.bytes()).isEqualTo(unpatched.bytes());
    assertThat(restored.etag()).isEqualTo(unpatched.etag());
  }

  @Test
  void instructionsTouchingNoneOfTheLabelsRecordsLeaveChanneldataByteIdentical() throws Exception {
    instructions.put("linux-64", patch("{\"packages\":{\"zlib-1.2.11-0.conda\":{\"license\":\"MIT\"}},"
        + "\"remove\":[\"c-1.0-0.conda\"]}"));
    Artifact withPatches = channeldata(index);
    try (IndexService plain = new IndexService(files, new Events(), Clock.systemUTC(), dir.resolve("published-b"))) {
      Artifact without = channeldata(plain);
      assertThat(withPatches.bytes()).isEqualTo(without.bytes());
      assertThat(withPatches.etag()).isEqualTo(without.etag());
    }
  }

  private void announce() throws TimeoutException {
    index.changed(channel.id(), "main", "noarch", "a", 0);
    index.changed(channel.id(), "main", "linux-64", "b", 0);
    index.awaitPublished(10_000);
  }

  private Artifact channeldata(IndexService service) throws TimeoutException {
    service.awaitPublished(10_000);
    return service.channeldata(channel, "main").orElseThrow();
  }

  private void store(NewPackageFile f) {
    var inserted = files.insert(f, true);
    events.publish(new PackageStored(f.channelId(), f.label(), f.subdir(), f.filename(), f.name(), inserted.seq()));
  }

  private static PatchInstructions patch(String json) {
    return PatchInstructions.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
