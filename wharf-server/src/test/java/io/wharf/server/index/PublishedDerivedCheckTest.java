package io.wharf.server.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.conda.repodata.Shards;
import io.wharf.server.channel.Channel;
import io.wharf.server.channel.JdbcChannelRepository;
import io.wharf.server.channel.Privacy;
import io.wharf.server.db.Database;
import io.wharf.server.events.Events;
import io.wharf.server.events.PackageStored;
import io.wharf.server.pkg.JdbcPackageFileRepository;
import io.wharf.server.pkg.NewPackageFile;
import io.wharf.server.pkg.PackageFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The integrity check's look at what a subdir publishes beyond each name's records: current_repodata.json
 * (one name's selection depends on what the others require) and the CEP 16 shards. A disagreement is
 * found and named, and republishing the names it found brings the served files back in line with the rows.
 */
class PublishedDerivedCheckTest {
  @TempDir Path dir;
  private Database db;
  private JdbcPackageFileRepository files;
  private Events events;
  private IndexService index;
  private Channel channel;
  private PublishedCheck check;

  @BeforeEach
  void open() {
    db = Database.openSqlite(dir.resolve("wharf.db"));
    files = new JdbcPackageFileRepository(db);
    events = new Events();
    index = new IndexService(files, events, Clock.systemUTC(), dir.resolve("published"));
    channel = new JdbcChannelRepository(db).create("forge", "", Privacy.PUBLIC);
    check = new PublishedCheck(index, files);
  }

  @AfterEach
  void close() {
    index.close();
    db.close();
  }

  @Test
  void currentRepodataLeftBehindByAnotherNamesChangeIsFoundAndRepublished() throws Exception {
    store(file("a-1.0-0.conda"));
    store(file("a-2.0-0.conda"));
    store(PackageFiles.withRequirements(file("b-1.0-0.conda"), List.of("a 1.0.*"), List.of()));
    assertThat(current()).as("b's requirement keeps the older a").contains("a-1.0-0.conda", "a-2.0-0.conda");
    assertThat(run()).isEmpty();

    // a newer b without the requirement reaches the rows but never the publisher (no event)
    files.insert(file("b-2.0-0.conda"), true);

    List<PublishedCheck.Stale> found = run();

    assertThat(found).extracting(PublishedCheck.Stale::name, PublishedCheck.Stale::reason).containsExactlyInAnyOrder(
        org.assertj.core.groups.Tuple.tuple("a", DerivedCheck.CURRENT),
        org.assertj.core.groups.Tuple.tuple("b", "its \"packages.conda\" records differ from the rows"));
    assertThat(check.republish(found)).isEmpty();
    assertThat(current()).contains("a-2.0-0.conda", "b-2.0-0.conda").doesNotContain("a-1.0-0.conda");
    assertThat(run()).isEmpty();
  }

  @Test
  void aCorruptShardFileIsFoundAndWrittenAgain() throws Exception {
    store(file("a-1.0-0.conda"));
    store(file("c-1.0-0.conda"));
    assertThat(run()).isEmpty();
    List<Path> shards = shardFiles();
    assertThat(shards).hasSize(2);
    Path corrupt = shards.get(0);
    byte[] good = Files.readAllBytes(corrupt);
    Files.write(corrupt, "not a shard".getBytes(StandardCharsets.US_ASCII));
    String corruptName = Shards.decode(good, 1 << 20).path("packages.conda").fieldNames().next()
        .replaceFirst("-1\\.0-0\\.conda$", "");

    List<PublishedCheck.Stale> found = run();

    assertThat(found).extracting(PublishedCheck.Stale::name, PublishedCheck.Stale::reason)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(corruptName, DerivedCheck.SHARD_FILE));
    assertThat(check.republish(found)).isEmpty();
    assertThat(Files.readAllBytes(corrupt)).as("the shard under its hash is whole again").isEqualTo(good);
    assertThat(run()).isEmpty();
  }

  @Test
  void aShardFileThatWentMissingIsFoundAndWrittenAgain() throws Exception {
    store(file("a-1.0-0.conda"));
    Path shard = shardFiles().get(0);
    byte[] good = Files.readAllBytes(shard);
    Files.delete(shard);

    List<PublishedCheck.Stale> found = run();

    assertThat(found).extracting(PublishedCheck.Stale::reason).containsExactly(DerivedCheck.SHARD_FILE);
    assertThat(check.republish(found)).isEmpty();
    assertThat(Files.readAllBytes(shard)).isEqualTo(good);
  }

  private NewPackageFile file(String filename) {
    return PackageFiles.file(channel.id(), "main", "noarch", filename);
  }

  private void store(NewPackageFile f) throws Exception {
    var inserted = files.insert(f, true);
    events.publish(new PackageStored(f.channelId(), f.label(), f.subdir(), f.filename(), f.name(), inserted.seq()));
    index.subdir(channel, "main", "noarch").orElseThrow(); // published here from now on
    index.awaitPublished(30_000);
  }

  private String current() {
    return new String(index.subdir(channel, "main", "noarch").orElseThrow().metadata("current_repodata.json")
        .orElseThrow().bytes(), StandardCharsets.UTF_8);
  }

  private List<PublishedCheck.Stale> run() {
    List<PublishedCheck.Stale> found = new ArrayList<>();
    check.run(found::add, () -> {});
    return found;
  }

  /** The shard files the published subdir serves (the check's own builds are gone when it returns). */
  private List<Path> shardFiles() throws IOException {
    try (Stream<Path> s = Files.walk(dir.resolve("published/shards"))) {
      return s.filter(p -> p.toString().endsWith(".msgpack.zst")).sorted().toList();
    }
  }
}
