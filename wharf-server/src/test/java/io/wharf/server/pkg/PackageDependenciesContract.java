package io.wharf.server.pkg;

import static io.wharf.server.pkg.PackageFiles.file;
import static io.wharf.server.pkg.PackageFiles.withRequirements;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.channel.ChannelRepository;
import io.wharf.server.channel.JdbcChannelRepository;
import io.wharf.server.channel.Privacy;
import io.wharf.server.db.Database;
import io.wharf.server.db.DuplicateKeyException;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The dependency rows kept beside package files, run once per database engine. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PackageDependenciesContract {
  private static final JsonNode INDEX4 = PackageFiles.index4();

  private Database db;
  private PackageFileRepository files;
  private ChannelRepository channels;
  private long channel;
  private long otherChannel;

  /** A supplier that opens the same, initially empty database on every call. */
  protected abstract Supplier<Database> database();

  @BeforeAll
  void open() {
    db = database().get();
    files = new JdbcPackageFileRepository(db);
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
    channel = channels.create("main-channel", "", Privacy.PUBLIC).id();
    otherChannel = channels.create("other-channel", "", Privacy.PUBLIC).id();
  }

  private PackageFile insertReal(long channelId, String filename) {
    return files.insert(PackageFiles.fromRecord(channelId, filename, INDEX4.get(filename)), false).file();
  }

  private long dependencyRowCount() {
    return db.jdbi().withHandle(h ->
        h.createQuery("SELECT COUNT(*) FROM package_dependencies").mapTo(Long.class).one());
  }

  @Test
  void realRecordsAreFoundByTheNamesTheyDependOn() {
    PackageFile conda = insertReal(channel, "conda-4.4.10-py27_0.tar.bz2");
    PackageFile numpy = insertReal(channel, "numpy-1.11.3-py36h1b885b7_8.tar.bz2");

    assertThat(files.dependants("python", Set.of(channel))).containsExactly(
        new DependantRow(conda, "depends", "python >=2.7,<2.8.0a0"),
        new DependantRow(numpy, "depends", "python >=3.6,<3.7.0a0"));
    assertThat(files.dependants("numpy-base", Set.of(channel))).containsExactly(
        new DependantRow(numpy, "depends", "numpy-base 1.11.3 py36hdbf6ddf_8"));
    // 8 depends + 3 constrains of conda, 4 depends of numpy.
    assertThat(dependencyRowCount()).isEqualTo(15);
  }

  @Test
  void constrainsAreRecordedWithTheirKind() {
    PackageFile conda = insertReal(channel, "conda-4.4.10-py27_0.tar.bz2");

    assertThat(files.dependants("conda-build", Set.of(channel))).containsExactly(
        new DependantRow(conda, "constrains", "conda-build >=2.1"));
    assertThat(files.dependants("cytoolz", Set.of(channel))).extracting(DependantRow::kind).containsExactly("constrains");
  }

  @Test
  void namesAreComparedLowercased() {
    PackageFile twisted = insertReal(channel, "twisted-17.9.0-py27h7008fb7_0.tar.bz2");

    assertThat(files.dependants("pyobjc-framework-cfnetwork", Set.of(channel))).containsExactly(
        new DependantRow(twisted, "constrains", "pyobjc-framework-CFNetwork"));
    assertThat(files.dependants("PyObjC-Framework-CFNetwork", Set.of(channel))).hasSize(1);
  }

  @Test
  void everySpecNamingThePackageIsListedInRecordOrder() {
    // This qt names openssl twice; a caller must apply both.
    PackageFile qt = insertReal(channel, "qt-5.6.2-hd25b39d_14.tar.bz2");

    assertThat(files.dependants("openssl", Set.of(channel))).containsExactly(
        new DependantRow(qt, "depends", "openssl 1.0.*"),
        new DependantRow(qt, "depends", "openssl >=1.0.2n,<1.0.3a"));
  }

  @Test
  void onlyTheGivenChannelsAreSearched() {
    PackageFile here = insertReal(channel, "numpy-1.11.3-py36h1b885b7_8.tar.bz2");
    PackageFile there = insertReal(otherChannel, "numpy-1.11.3-py36h1b885b7_8.tar.bz2");

    assertThat(files.dependants("python", Set.of(channel))).extracting(DependantRow::file).containsExactly(here);
    assertThat(files.dependants("python", Set.of(otherChannel))).extracting(DependantRow::file).containsExactly(there);
    assertThat(files.dependants("python", Set.of(channel, otherChannel))).extracting(DependantRow::file)
        .containsExactlyInAnyOrder(here, there);
    assertThat(files.dependants("python", Set.of())).isEmpty();
    assertThat(files.dependants("python", Set.of(otherChannel + 1000))).isEmpty();
  }

  @Test
  void noarchRecordsAreOrdinaryRows() {
    PackageFile flask = insertReal(channel, "flask-0.11.1-py_0.tar.bz2");

    assertThat(flask.subdir()).isEqualTo("noarch");
    assertThat(files.dependants("python", Set.of(channel))).containsExactly(new DependantRow(flask, "depends", "python"));
  }

  @Test
  void virtualPackagesAreIndexedLikeAnyOtherName() {
    PackageFile faiss = files.insert(withRequirements(file(channel, "main", "linux-64", "faiss-cpu-1.7.4-py310_0.conda"),
        List.of("__glibc >=2.17,<3.0.a0", "libgcc-ng >=11.2.0"), List.of("__cuda >=11.8")), false).file();

    assertThat(files.dependants("__glibc", Set.of(channel))).containsExactly(
        new DependantRow(faiss, "depends", "__glibc >=2.17,<3.0.a0"));
    assertThat(files.dependants("__cuda", Set.of(channel))).containsExactly(
        new DependantRow(faiss, "constrains", "__cuda >=11.8"));
  }

  @Test
  void replacingAFileReplacesItsRows() {
    NewPackageFile first = withRequirements(file(channel, "main", "linux-64", "tool-1.0-0.conda"),
        List.of("zlib >=1.2", "openssl 1.0.*"), List.of());
    NewPackageFile second = withRequirements(first, List.of("zstd >=1.5"), List.of("openssl >=3"));
    files.insert(first, false);

    PackageFile replacement = files.insert(second, true).file();

    assertThat(files.dependants("zlib", Set.of(channel))).isEmpty();
    assertThat(files.dependants("zstd", Set.of(channel))).containsExactly(
        new DependantRow(replacement, "depends", "zstd >=1.5"));
    assertThat(files.dependants("openssl", Set.of(channel))).containsExactly(
        new DependantRow(replacement, "constrains", "openssl >=3"));
    assertThat(dependencyRowCount()).isEqualTo(2);
  }

  @Test
  void aRefusedDuplicateLeavesTheRowsOfTheFileInPlace() {
    NewPackageFile first = withRequirements(file(channel, "main", "linux-64", "tool-1.0-0.conda"),
        List.of("zlib >=1.2"), List.of());
    PackageFile stored = files.insert(first, false).file();

    assertThatThrownBy(() -> files.insert(withRequirements(first, List.of("zstd"), List.of()), false))
        .isInstanceOf(DuplicateKeyException.class);

    assertThat(files.dependants("zlib", Set.of(channel))).containsExactly(new DependantRow(stored, "depends", "zlib >=1.2"));
    assertThat(files.dependants("zstd", Set.of(channel))).isEmpty();
    assertThat(dependencyRowCount()).isEqualTo(1);
  }

  @Test
  void deletingAFileOrItsChannelRemovesItsRows() {
    PackageFile numpy = insertReal(channel, "numpy-1.11.3-py36h1b885b7_8.tar.bz2");
    insertReal(otherChannel, "conda-4.4.10-py27_0.tar.bz2");

    files.delete(numpy.id());
    assertThat(files.dependants("python", Set.of(channel, otherChannel))).extracting(DependantRow::file)
        .extracting(PackageFile::filename).containsExactly("conda-4.4.10-py27_0.tar.bz2");
    assertThat(dependencyRowCount()).isEqualTo(11);

    channels.delete(otherChannel);
    assertThat(dependencyRowCount()).isZero();
  }

  private List<org.assertj.core.groups.Tuple> dependencyRows(long fileId) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT channel_id, kind, dep_name, spec, position"
            + " FROM package_dependencies WHERE file_id = :id ORDER BY kind DESC, position")
        .bind("id", fileId)
        .map((rs, ctx) -> tuple(rs.getLong("channel_id"), rs.getString("kind"), rs.getString("dep_name"),
            rs.getString("spec"), rs.getInt("position")))
        .list());
  }

  @Test
  void aBatchWritesEachFilesRowsWithKindNamePositionInTheRecordAndItsOwnChannel() {
    NewPackageFile tool = withRequirements(file(channel, "main", "linux-64", "tool-1.0-0.conda"),
        List.of("zlib >=1.2", "", "OpenSSL 1.0.*", "conda-forge::python >=3.8"), List.of("__cuda >=11.8"));
    NewPackageFile other = withRequirements(file(channel, "main", "noarch", "other-2.0-0.conda"),
        List.of("tool"), List.of());
    NewPackageFile bare = file(channel, "main", "noarch", "bare-1.0-0.conda");

    List<PackageFileRepository.Inserted> inserted = files.insertAll(List.of(tool, bare, other));

    assertThat(dependencyRows(inserted.get(0).file().id())).containsExactly(
        tuple(channel, "depends", "zlib", "zlib >=1.2", 0),
        tuple(channel, "depends", "openssl", "OpenSSL 1.0.*", 2),
        tuple(channel, "depends", "python", "conda-forge::python >=3.8", 3),
        tuple(channel, "constrains", "__cuda", "__cuda >=11.8", 0));
    assertThat(dependencyRows(inserted.get(1).file().id())).isEmpty();
    assertThat(dependencyRows(inserted.get(2).file().id())).containsExactly(
        tuple(channel, "depends", "tool", "tool", 0));
    assertThat(files.dependants("tool", Set.of(channel))).containsExactly(
        new DependantRow(inserted.get(2).file(), "depends", "tool"));
  }

  @Test
  void aBatchOfRealRecordsWritesTheRowsSingleInsertsWould() {
    List<String> names = List.of("conda-4.4.10-py27_0.tar.bz2", "numpy-1.11.3-py36h1b885b7_8.tar.bz2",
        "qt-5.6.2-hd25b39d_14.tar.bz2", "twisted-17.9.0-py27h7008fb7_0.tar.bz2");
    List<PackageFile> one = names.stream().map(n -> insertReal(channel, n)).toList();
    List<PackageFileRepository.Inserted> batch = files.insertAll(names.stream()
        .map(n -> PackageFiles.fromRecord(otherChannel, n, INDEX4.get(n))).toList());

    for (int i = 0; i < names.size(); i++) {
      List<org.assertj.core.groups.Tuple> single = dependencyRows(one.get(i).id()).stream()
          .map(t -> tuple(otherChannel, t.toList().get(1), t.toList().get(2), t.toList().get(3), t.toList().get(4)))
          .toList();
      assertThat(single).as(names.get(i)).isNotEmpty();
      assertThat(dependencyRows(batch.get(i).file().id())).as(names.get(i)).containsExactlyElementsOf(single);
    }
  }

  @Test
  void entriesThatNameNoPackageHaveNoRow() {
    PackageFile odd = files.insert(withRequirements(file(channel, "main", "linux-64", "odd-1.0-0.conda"),
        List.of("", "   ", ">=1.0", "Zlib"), List.of()), false).file();

    assertThat(files.dependants("zlib", Set.of(channel))).containsExactly(new DependantRow(odd, "depends", "Zlib"));
    assertThat(dependencyRowCount()).isEqualTo(1);
  }
}
