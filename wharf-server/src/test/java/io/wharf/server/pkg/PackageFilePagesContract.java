package io.wharf.server.pkg;

import static io.wharf.server.pkg.PackageFiles.file;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.channel.ChannelRepository;
import io.wharf.server.channel.JdbcChannelRepository;
import io.wharf.server.channel.Privacy;
import io.wharf.server.db.Database;
import io.wharf.server.pkg.PackageFilePages.FileFilter;
import io.wharf.server.pkg.PackageFilePages.FileKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Paged reads and batched deletes of a channel's files, run once per database engine. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PackageFilePagesContract {
  private Database db;
  private PackageFileRepository files;
  private PackageFilePages pages;
  private ChannelRepository channels;
  private long channel;
  private long otherChannel;

  /** A supplier that opens the same, initially empty database on every call. */
  protected abstract Supplier<Database> database();

  @BeforeAll
  void open() {
    db = database().get();
    files = new JdbcPackageFileRepository(db);
    pages = new JdbcPackageFilePages(db);
    channels = new JdbcChannelRepository(db);
  }

  @AfterAll
  void close() {
    db.close();
  }

  @BeforeEach
  void freshChannels() {
    db.jdbi().useHandle(h -> {
      h.execute("DELETE FROM package_files");
      h.execute("DELETE FROM channels");
    });
    channel = channels.create("paged", "", Privacy.PUBLIC).id();
    otherChannel = channels.create("other", "", Privacy.PUBLIC).id();
  }

  /** Eleven files over three labels and two subdirs, inserted out of order; "Zeta" sorts before "beta" by code point. */
  private List<String> insertSpread() {
    String[][] rows = {
        {"main", "noarch", "b-1.0-0.tar.bz2"}, {"beta", "linux-64", "a-1.0-0.conda"},
        {"main", "linux-64", "c-2.0-0.conda"}, {"Zeta", "noarch", "a-1.0-0.conda"},
        {"main", "linux-64", "a-1.0-0.conda"}, {"main", "linux-64", "a-1.0-0.tar.bz2"},
        {"beta", "noarch", "d-1.0-0.conda"}, {"main", "noarch", "a-1.0-0.conda"},
        {"main", "linux-64", "B-1.0-0.conda"}, {"beta", "linux-64", "c-2.0-0.conda"},
        {"main", "linux-64", "c-1.0-0.conda"},
    };
    for (String[] r : rows) {
      files.insert(file(channel, r[0], r[1], r[2]), false);
    }
    files.insert(file(otherChannel, "main", "linux-64", "a-1.0-0.conda"), false);
    return List.of("Zeta/noarch/a-1.0-0.conda", "beta/linux-64/a-1.0-0.conda", "beta/linux-64/c-2.0-0.conda",
        "beta/noarch/d-1.0-0.conda", "main/linux-64/B-1.0-0.conda", "main/linux-64/a-1.0-0.conda",
        "main/linux-64/a-1.0-0.tar.bz2", "main/linux-64/c-1.0-0.conda", "main/linux-64/c-2.0-0.conda",
        "main/noarch/a-1.0-0.conda", "main/noarch/b-1.0-0.tar.bz2");
  }

  private List<String> allPages(FileFilter filter, int limit, List<Integer> sizes) {
    List<String> seen = new ArrayList<>();
    FileKey after = null;
    while (true) {
      List<PackageFile> page = pages.files(channel, filter, after, limit);
      sizes.add(page.size());
      page.forEach(f -> seen.add(f.label() + "/" + f.subdir() + "/" + f.filename()));
      if (page.size() < limit) {
        return seen;
      }
      after = FileKey.of(page.get(page.size() - 1));
    }
  }

  @Test
  void filesComeInPagesByLabelSubdirAndFilenameInCodePointOrderWithoutRepeatsOrGaps() {
    List<String> expected = insertSpread();
    List<Integer> sizes = new ArrayList<>();

    assertThat(allPages(FileFilter.ALL, 3, sizes)).containsExactlyElementsOf(expected);
    assertThat(sizes).containsExactly(3, 3, 3, 2);
    assertThat(pages.files(channel, FileFilter.ALL, null, 100)).hasSize(11);
  }

  @Test
  void aPageStartsAfterItsKeyEvenWhenThatFileIsGone() {
    insertSpread();
    PackageFile third = pages.files(channel, FileFilter.ALL, null, 3).get(2);
    files.delete(third.id());

    assertThat(pages.files(channel, FileFilter.ALL, FileKey.of(third), 2))
        .extracting(f -> f.label() + "/" + f.subdir() + "/" + f.filename())
        .containsExactly("beta/noarch/d-1.0-0.conda", "main/linux-64/B-1.0-0.conda");
  }

  @Test
  void filtersHoldOnEveryPage() {
    insertSpread();

    assertThat(allPages(new FileFilter("main", "linux-64", null, null), 2, new ArrayList<>()))
        .containsExactly("main/linux-64/B-1.0-0.conda", "main/linux-64/a-1.0-0.conda",
            "main/linux-64/a-1.0-0.tar.bz2", "main/linux-64/c-1.0-0.conda", "main/linux-64/c-2.0-0.conda");
    assertThat(allPages(new FileFilter(null, null, "a", "a-1.0-0.conda"), 1, new ArrayList<>()))
        .containsExactly("Zeta/noarch/a-1.0-0.conda", "beta/linux-64/a-1.0-0.conda",
            "main/linux-64/a-1.0-0.conda", "main/noarch/a-1.0-0.conda");
    assertThat(pages.files(channel, new FileFilter(null, "noarch", null, null), null, 10))
        .extracting(PackageFile::subdir).containsOnly("noarch").hasSize(4);
    assertThat(pages.files(channel, new FileFilter("nolabel", null, null, null), null, 10)).isEmpty();
  }

  @Test
  void packageNamesComeInPagesWithTheirFileCounts() {
    insertSpread();

    List<PackageNameSummary> first = pages.packageNames(channel, null, 2);
    assertThat(first).extracting(PackageNameSummary::name).containsExactly("B", "a");
    assertThat(first.get(1).fileCount()).isEqualTo(5);
    List<PackageNameSummary> rest = pages.packageNames(channel, "a", 10);
    assertThat(rest).extracting(PackageNameSummary::name).containsExactly("b", "c", "d");
    assertThat(rest).extracting(PackageNameSummary::fileCount).containsExactly(1L, 3L, 1L);
    assertThat(pages.packageNames(channel, "d", 10)).isEmpty();
  }

  @Test
  void labelsByNameCoverOnlyTheNamesAsked() {
    insertSpread();

    Map<String, List<String>> labels = pages.labelsByName(channel, List.of("a", "d", "missing"));
    assertThat(labels).containsOnlyKeys("a", "d");
    assertThat(labels.get("a")).containsExactly("Zeta", "beta", "main");
    assertThat(labels.get("d")).containsExactly("beta");
    assertThat(pages.labelsByName(channel, List.of())).isEmpty();
  }

  @Test
  void deleteBatchRemovesAtMostTheLimitAndMarksTheBlobsNoOtherRowUses() {
    insertSpread();
    long before = revision(channel);
    java.util.Set<String> keys = new java.util.TreeSet<>();
    pages.files(channel, FileFilter.ALL, null, 100).forEach(f -> keys.add(f.blobKey()));
    List<Integer> sizes = new ArrayList<>();

    for (int n = pages.deleteBatch(channel, 4); n > 0; n = pages.deleteBatch(channel, 4)) {
      sizes.add(n);
    }

    assertThat(sizes).containsExactly(4, 4, 3);
    assertThat(pages.files(channel, FileFilter.ALL, null, 100)).isEmpty();
    assertThat(revision(channel)).as("each batch raised the revision").isEqualTo(before + 3);
    assertThat(pages.files(otherChannel, FileFilter.ALL, null, 100)).as("other channel untouched").hasSize(1);
    assertThat(files.blobGarbage(Long.MAX_VALUE, 100)).extracting(PackageFileRepository.GarbageBlob::key)
        .as("every blob of the deleted rows waits for the sweeper").containsExactlyInAnyOrderElementsOf(keys);
    assertThat(pages.deleteBatch(channel, 4)).isZero();
    assertThat(revision(channel)).as("nothing deleted, nothing raised").isEqualTo(before + 3);
  }

  private long revision(long channelId) {
    return channels.revisions().get(channelId);
  }
}
