package io.wharf.server.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.channel.ChannelService;
import io.wharf.server.channel.JdbcChannelRepository;
import io.wharf.server.channel.Privacy;
import io.wharf.server.db.Database;
import io.wharf.server.events.Events;
import io.wharf.server.pkg.JdbcPackageFilePages;
import io.wharf.server.pkg.JdbcPackageFileRepository;
import io.wharf.server.pkg.PackageService;
import io.wharf.server.pkg.PackageStore;
import io.wharf.server.storage.fs.FileSystemBlobStore;
import io.wharf.server.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs of mirrors whose subdir spans many chunks, so that the reading thread makes chunks ready while the
 * run's thread writes earlier ones ({@link MirrorPipeline}); the chunk is made small rather than the
 * upstream large. The upstream is a real HTTP server listing generated records.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a run whose reading never ends hangs
class MirrorChunkedRunTest {
  private static final int CHUNK = 50;

  @TempDir Path dir;
  private Database db;
  private FileSystemBlobStore blobs;
  private ChannelService channels;
  private MirrorService mirrors;
  private PackageService packages;
  private GeneratedUpstream upstream;

  @BeforeEach
  void open() throws Exception {
    db = TestDatabases.sqlite(dir).get();
    Events events = new Events();
    JdbcPackageFileRepository files = new JdbcPackageFileRepository(db, Clock.systemUTC());
    JdbcPackageFilePages pages = new JdbcPackageFilePages(db);
    blobs = new FileSystemBlobStore(dir.resolve("blobs"));
    channels = new ChannelService(new JdbcChannelRepository(db), pages::deleteBatch, events);
    packages = new PackageService(files, pages, blobs, events);
    mirrors = new MirrorService(new JdbcMirrors(db), channels, new PackageStore(files, blobs, events),
        packages, new io.wharf.server.pkg.PackageTransfers(channels, db, events),
        blobs, new SecretBox(new byte[32]), dir.resolve("tmp"),
        Duration.ofSeconds(20), Clock.systemUTC(), CHUNK);
    upstream = new GeneratedUpstream();
  }

  @AfterEach
  void close() {
    upstream.close();
    mirrors.close();
    blobs.close();
    db.close();
  }

  /** What a run reported, in order; and whether each report came from the thread that ran it. */
  private static final class Reports implements MirrorProgress {
    final Thread runner = Thread.currentThread();
    final List<int[]> subdirs = new ArrayList<>();
    final Map<String, List<String>> byOutcome = new LinkedHashMap<>();
    final List<String> otherThreads = new ArrayList<>();

    @Override
    public void subdir(String subdir, int records, int todo, boolean unchanged) {
      seen();
      if (subdir.equals("linux-64")) {
        subdirs.add(new int[] {records, todo});
      }
    }

    @Override
    public void file(String subdir, String filename, String outcome, long bytes, String message) {
      seen();
      byOutcome.computeIfAbsent(outcome, o -> new ArrayList<>()).add(filename);
    }

    List<String> files(String outcome) {
      return byOutcome.getOrDefault(outcome, List.of());
    }

    private void seen() {
      if (Thread.currentThread() != runner) {
        otherThreads.add(Thread.currentThread().getName());
      }
    }
  }

  private Mirror mirror(String name, MirrorMode mode) {
    return mirror(name, mode, false);
  }

  private Mirror mirror(String name, MirrorMode mode, boolean removeDeleted) {
    channels.create(name, "", Privacy.PUBLIC);
    return mirrors.create(new MirrorService.NewMirror(name, name, null, upstream.url(), mode, List.of("linux-64"),
        removeDeleted, UpstreamCredentials.NONE));
  }

  /** The channel's linux-64 records, by filename in the order their rows were written. */
  private Map<String, String> channelRecords(String channel) {
    Map<String, String> out = new LinkedHashMap<>();
    db.jdbi().useHandle(h -> h.createQuery("SELECT f.filename, f.record_json FROM package_files f"
            + " JOIN channels c ON c.id = f.channel_id WHERE c.name = :name AND f.subdir = 'linux-64' ORDER BY f.id")
        .bind("name", channel).map((rs, ctx) -> out.put(rs.getString(1), rs.getString(2))).list());
    return out;
  }

  private static List<String> readingThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(n -> n.startsWith(MirrorPipeline.THREAD)).toList();
  }

  private List<Path> leftInTmp() throws Exception {
    try (Stream<Path> files = Files.list(dir.resolve("tmp"))) {
      return files.toList();
    }
  }

  @Test
  void aPassiveRunOfManyChunksWritesEveryRecordOnceInDocumentOrderAndTheChannelEqualsUpstream() throws Exception {
    upstream.generate(3000);
    Mirror m = mirror("many", MirrorMode.PASSIVE);
    Reports first = new Reports();
    MirrorRunView run = mirrors.run(m, first);

    assertThat(run.status()).as(run.message()).isEqualTo("succeeded");
    assertThat(run.files()).isEqualTo(3000);
    assertThat(first.files("recorded")).as("each record once, in the order upstream lists them")
        .containsExactlyElementsOf(upstream.filenames());
    assertThat(first.subdirs).as("one report per chunk, and one for the rest (here none)").hasSize(3000 / CHUNK + 1);
    assertThat(first.subdirs.stream().mapToInt(s -> s[0]).sum()).isEqualTo(3000);
    assertThat(first.subdirs.stream().mapToInt(s -> s[1]).sum()).isEqualTo(3000);
    assertThat(first.otherThreads).as("progress hears only from the run's thread").isEmpty();
    Map<String, String> written = channelRecords("many");
    assertThat(new ArrayList<>(written.keySet())).containsExactlyElementsOf(upstream.filenames());
    assertThat(written).isEqualTo(upstream.stored());
    assertThat(readingThreads()).isEmpty();
    assertThat(leftInTmp()).as("the spooled repodata is deleted").isEmpty();

    Reports second = new Reports();
    MirrorRunView again = mirrors.run(m, second);
    assertThat(again.status()).isEqualTo("succeeded");
    assertThat(again.files()).as("every record is unchanged").isZero();
    assertThat(second.subdirs.stream().mapToInt(s -> s[0]).sum()).isEqualTo(3000);
    assertThat(second.subdirs.stream().mapToInt(s -> s[1]).sum()).isZero();
  }

  @Test
  void aReRunReplacesManyChangedRecordsAndRemovesManyDroppedOnesInBatchesAndEndsEqualToUpstream() throws Exception {
    upstream.generate(3000);
    Mirror m = mirror("patched", MirrorMode.PASSIVE, true);
    assertThat(mirrors.run(m, new Reports()).status()).isEqualTo("succeeded");
    List<String> changed = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      String f = GeneratedUpstream.filename(i);
      if (i % 5 < 2) { // 1,200 records patched: more than one batch of replacements
        com.fasterxml.jackson.databind.node.ObjectNode r = GeneratedUpstream.record(f);
        r.putArray("depends").add("python >=3.9");
        upstream.put(f, r.toString());
        changed.add(f);
      } else if (dropped.size() < 1100) { // more than one batch of removals
        upstream.remove(f);
        dropped.add(f);
      }
    }

    // someone removed two of the dropped files already, one in each batch of removals
    for (String gone : List.of(dropped.get(10), dropped.get(1050))) {
      packages.delete(channels.require("patched"), "main", "linux-64", gone);
    }
    Reports second = new Reports();
    MirrorRunView again = mirrors.run(m, second);

    assertThat(again.status()).as(again.message()).isEqualTo("succeeded");
    assertThat(again.files()).isEqualTo(1200);
    assertThat(again.removed()).isEqualTo(1100);
    assertThat(second.files("replaced")).containsExactlyElementsOf(changed);
    assertThat(second.files("removed")).containsExactlyElementsOf(dropped);
    assertThat(channelRecords("patched")).isEqualTo(upstream.stored());
    assertThat(mirrors.run(m, new Reports()).files()).as("nothing left to write").isZero();
  }

  @Test
  void aDownloadBrokenOffMidRunStopsTheRunWithItsErrorEndsTheReadingAndTheNextRunCompletes() throws Exception {
    upstream.generate(120);
    Mirror m = mirror("broken", MirrorMode.ACTIVE);
    upstream.breakDownloadsAfter(45);
    Reports first = new Reports();
    MirrorRunView run = mirrors.run(m, first);

    assertThat(run.status()).isEqualTo("failed");
    assertThat(run.message()).contains("broke off");
    assertThat(readingThreads()).as("the reading thread ended before the run returned").isEmpty();
    assertThat(leftInTmp()).as("no spooled repodata nor partial download is left").isEmpty();
    Map<String, String> before = channelRecords("broken");
    assertThat(before).as("the chunks written before the break stay").isNotEmpty().hasSizeLessThan(46);
    assertThat(run.files()).isEqualTo(before.size());
    assertThat(first.files("stored")).containsExactlyElementsOf(before.keySet());

    upstream.heal();
    Reports second = new Reports();
    MirrorRunView rerun = mirrors.run(m, second);
    assertThat(rerun.status()).as(rerun.message()).isEqualTo("succeeded");
    assertThat(rerun.files()).as("it resumes after the files written").isEqualTo(120 - before.size());
    assertThat(channelRecords("broken")).isEqualTo(upstream.stored());
    for (String f : upstream.filenames()) {
      String key = PackageStore.blobKey(GeneratedUpstream.record(f).path("sha256").asText());
      assertThat(blobs.size(key)).as(f).contains((long) GeneratedUpstream.bytes(f).length);
    }
    assertThat(readingThreads()).isEmpty();
  }

  @Test
  void recordsBrokenLateInTheDocumentAreCountedAsFailedInOrderAndTheRestIsWritten() throws Exception {
    upstream.generate(180);
    String notAnObject = GeneratedUpstream.filename(141);
    String badName = "broken.tar.bz2";
    String otherPackage = GeneratedUpstream.filename(155);
    upstream.put(notAnObject, "5")
        .rename(GeneratedUpstream.filename(150), badName, GeneratedUpstream.record("broken-1.0-0.tar.bz2").toString())
        .put(otherPackage, GeneratedUpstream.record("other-1.0-0.tar.bz2").toString());
    Mirror m = mirror("late", MirrorMode.PASSIVE);
    Reports first = new Reports();
    MirrorRunView run = mirrors.run(m, first);

    assertThat(run.status()).isEqualTo("partial");
    assertThat(run.errors()).isEqualTo(3);
    assertThat(run.files()).isEqualTo(177);
    assertThat(run.message()).startsWith("linux-64/" + notAnObject + ": ");
    assertThat(first.files("failed")).containsExactly(notAnObject, badName, otherPackage);
    assertThat(first.otherThreads).isEmpty();
    Map<String, String> expected = upstream.stored();
    List<String> good = upstream.filenames().stream()
        .filter(f -> !List.of(notAnObject, badName, otherPackage).contains(f)).toList();
    assertThat(first.files("recorded")).containsExactlyElementsOf(good);
    Map<String, String> written = channelRecords("late");
    assertThat(new ArrayList<>(written.keySet())).containsExactlyElementsOf(good);
    good.forEach(f -> assertThat(written.get(f)).as(f).isEqualTo(expected.get(f)));

    MirrorRunView again = mirrors.run(m, new Reports());
    assertThat(again.files()).isZero();
    assertThat(again.errors()).as("the broken records are read and refused again").isEqualTo(3);
  }
}
