package io.wharf.server.pkg;

import static io.wharf.server.pkg.PackageFiles.file;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.server.channel.ChannelRepository;
import io.wharf.server.channel.JdbcChannelRepository;
import io.wharf.server.channel.Privacy;
import io.wharf.server.db.Database;
import io.wharf.server.db.DigestIndexes;
import io.wharf.server.db.DuplicateKeyException;
import io.wharf.server.db.QueryPlans;
import io.wharf.server.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Behaviour every PackageFileRepository must show, run once per database engine. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PackageFileRepositoryContract {
  private static final Instant T0 = Instant.parse("2024-05-01T10:15:30.123Z");

  private final MutableClock clock = new MutableClock(T0);
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
    files = new JdbcPackageFileRepository(db, clock);
    channels = new JdbcChannelRepository(db, clock);
  }

  @AfterAll
  void close() {
    db.close();
  }

  @BeforeEach
  void freshChannels() {
    clock.set(T0);
    db.jdbi().useHandle(h -> {
      h.execute("DELETE FROM package_files");
      h.execute("DELETE FROM package_contents");
      h.execute("DELETE FROM channels");
    });
    channel = channels.create("main-channel", "", Privacy.PUBLIC).id();
    otherChannel = channels.create("other-channel", "", Privacy.PUBLIC).id();
  }

  @Test
  void aRecordIsSignedAsItIsStoredAndTheSignatureIsReadBackWithTheRowAndForPublishing() throws Exception {
    io.wharf.server.trust.SigningKey key = io.wharf.server.trust.SigningKey.generate();
    PackageFileRepository signing = new JdbcPackageFileRepository(db, clock,
        new io.wharf.server.trust.RecordSigner(List.of(key)));

    PackageFile stored = signing.insert(PackageFiles.realZlib(channel), false).file();
    PackageFile unsigned = files.insert(file(channel, "main", "noarch", "a-1.0-0.conda"), false).file();

    PackageFile read = files.find(channel, "main", stored.subdir(), stored.filename()).orElseThrow();
    assertThat(read.signaturesJson()).isEqualTo(stored.signaturesJson()).contains(key.keyId());
    assertThat(unsigned.signaturesJson()).isNull();
    assertThat(files.publishRows(channel, "main", stored.subdir(), stored.name()).get(0).signaturesJson())
        .isEqualTo(stored.signaturesJson());
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    io.wharf.server.trust.TrustVerifier.verifyRecord(json.readTree(read.recordJson()),
        json.readTree(read.signaturesJson()), io.wharf.server.trust.TrustMetadata.keyMgr(1,
            new io.wharf.server.trust.TrustMetadata.Delegation(List.of(key.keyId()), 1), T0));
  }

  @Test
  void theInstalledFilesListingIsKeptWithTheRowByTheFilesSha256AndOnlyAFullerOneReplacesIt() {
    NewPackageFile plain = PackageFiles.realZlib(channel);
    String listing = "[{\"path\":\"include/zlib.h\",\"sha256\":\"" + "a".repeat(64) + "\",\"size\":96239}]";
    NewPackageFile withListing = new NewPackageFile(plain.channelId(), plain.label(), plain.subdir(), plain.filename(),
        plain.name(), plain.version(), plain.build(), plain.buildNumber(), plain.md5(), plain.sha256(), plain.size(),
        plain.blobKey(), plain.recordJson(), plain.indexJson(), plain.aboutJson(), plain.runExportsJson(),
        plain.pathsFlagsJson(), listing);

    files.insert(withListing, false);
    assertThat(files.contents(plain.sha256())).contains(listing);
    assertThat(files.contents("b".repeat(64))).isEmpty();

    files.keepContents(plain.sha256(), "[]");
    assertThat(files.contents(plain.sha256())).as("a listing kept stays").contains(listing);
    String fuller = "{\"payload_read\":true,\"files\":[]}";
    files.completeContents(plain.sha256(), fuller);
    assertThat(files.contents(plain.sha256())).contains(fuller);
    files.completeContents("c".repeat(64), fuller);
    assertThat(files.contents("c".repeat(64))).contains(fuller);
  }

  @Test
  void contentsKeptForABlobAreForgottenOnlyOnceNoRowUsesThatBlob() {
    NewPackageFile plain = PackageFiles.realZlib(channel);
    String key = PackageStore.blobKey(plain.sha256());
    NewPackageFile f = withBlobKey(plain, key);
    String listing = "[{\"path\":\"include/zlib.h\",\"sha256\":\"" + "a".repeat(64) + "\",\"size\":96239}]";
    files.keepContents(plain.sha256(), listing);
    PackageFile stored = files.insert(f, false).file();

    assertThat(files.forgetContents(key)).as("a row still uses the blob").isFalse();
    assertThat(files.contents(plain.sha256())).contains(listing);

    files.delete(stored.id());
    assertThat(files.forgetContents(key)).isTrue();
    assertThat(files.contents(plain.sha256())).isEmpty();
    assertThat(files.forgetContents("packages/old-style-key.conda")).as("a key that names no bytes").isFalse();
  }

  @Test
  void blobKeysWhoseIndexedTagsAgreeAreToldApartAndFoundThroughThatIndex() {
    String keyA = PackageStore.blobKey("abcdef01" + "1".repeat(56));
    String keyB = PackageStore.blobKey("abcdef01" + "2".repeat(56));
    assertThat(DigestIndexes.BLOB_KEY.tagOf(keyB)).isEqualTo(DigestIndexes.BLOB_KEY.tagOf(keyA)).isEqualTo("abcdef01");
    PackageFile a = files.insert(withBlobKey(file(channel, "main", "noarch", "a-1.0-0.conda"), keyA), false).file();

    assertThat(files.blobReferenced(keyA)).isTrue();
    assertThat(files.blobReferenced(keyB)).isFalse();
    assertThat(files.referencedBlobKeys(List.of(keyA, keyB))).containsExactly(keyA);
    assertThat(QueryPlans.of(db, JdbcPackageFileRepository.BLOB_USED, Map.of("key", keyB)))
        .contains("package_files_blob_tag");

    files.delete(a.id());
    assertThat(files.blobReferenced(keyA)).isFalse();
    List<String> garbage = db.jdbi().withHandle(h -> h.createQuery("SELECT blob_key FROM blob_garbage"
        + " WHERE blob_key IN (<keys>)").bindList("keys", List.of(keyA, keyB)).mapTo(String.class).list());
    assertThat(garbage).containsExactly(keyA);
  }

  @Test
  void insertedFileIsFoundWithEveryFieldIntact() {
    NewPackageFile zlib = PackageFiles.realZlib(channel);

    PackageFileRepository.Inserted inserted = files.insert(zlib, false);

    PackageFile stored = inserted.file();
    assertThat(inserted.replaced()).isEmpty();
    assertThat(stored.id()).isPositive();
    assertThat(stored.uploadedAt()).isEqualTo(T0);
    assertThat(stored).usingRecursiveComparison().ignoringFields("id", "uploadedAt", "signaturesJson")
        .isEqualTo(zlib);
    assertThat(stored.signaturesJson()).as("no signing keys").isNull();
    assertThat(files.find(channel, "main", "linux-64", "zlib-1.2.11-h7b6447c_3.conda")).contains(stored);
  }

  @Test
  void optionalJsonStaysAbsent() {
    PackageFile stored = files.insert(file(channel, "main", "noarch", "a-1.0-0.conda"), false).file();

    PackageFile found = files.find(channel, "main", "noarch", "a-1.0-0.conda").orElseThrow();
    assertThat(found).isEqualTo(stored);
    assertThat(found.aboutJson()).isNull();
    assertThat(found.runExportsJson()).isNull();
    assertThat(found.pathsFlagsJson()).isNull();
  }

  @Test
  void findIsScopedToChannelLabelAndSubdir() {
    files.insert(file(channel, "main", "noarch", "a-1.0-0.conda"), false);

    assertThat(files.find(otherChannel, "main", "noarch", "a-1.0-0.conda")).isEmpty();
    assertThat(files.find(channel, "dev", "noarch", "a-1.0-0.conda")).isEmpty();
    assertThat(files.find(channel, "main", "linux-64", "a-1.0-0.conda")).isEmpty();
    assertThat(files.find(channel, "main", "noarch", "a-1.0-0.tar.bz2")).isEmpty();
  }

  @Test
  void duplicateInsertIsRejectedAndKeepsTheOriginal() {
    PackageFile original = files.insert(file(channel, "main", "noarch", "a-1.0-0.conda"), false).file();
    NewPackageFile again = withBlobKey(file(channel, "main", "noarch", "a-1.0-0.conda"), "sha256/other");

    assertThatThrownBy(() -> files.insert(again, false)).isInstanceOf(DuplicateKeyException.class);

    assertThat(files.listChannel(channel)).containsExactly(original);
  }

  @Test
  void sameFilenameMayLiveUnderOtherLabelsSubdirsAndChannels() {
    files.insert(file(channel, "main", "noarch", "a-1.0-0.conda"), false);
    files.insert(file(channel, "dev", "noarch", "a-1.0-0.conda"), false);
    files.insert(file(channel, "main", "linux-64", "a-1.0-0.conda"), false);
    files.insert(file(otherChannel, "main", "noarch", "a-1.0-0.conda"), false);

    assertThat(files.listChannel(channel)).hasSize(3);
    assertThat(files.listChannel(otherChannel)).hasSize(1);
  }

  @Test
  void insertAllRecordsEveryFileWithOneChangeLogEntryPerName() {
    List<NewPackageFile> batch = List.of(file(channel, "main", "noarch", "a-1.0-0.conda"),
        file(channel, "main", "noarch", "a-2.0-0.conda"), file(channel, "main", "linux-64", "b-1.0-0.tar.bz2"),
        file(channel, "dev", "noarch", "a-1.0-0.conda"));

    List<PackageFileRepository.Inserted> inserted = files.insertAll(batch);

    assertThat(inserted).extracting(i -> i.file().filename()).containsExactly("a-1.0-0.conda", "a-2.0-0.conda",
        "b-1.0-0.tar.bz2", "a-1.0-0.conda");
    assertThat(inserted.get(0).seq()).isEqualTo(inserted.get(1).seq());
    assertThat(java.util.Set.of(inserted.get(0).seq(), inserted.get(2).seq(), inserted.get(3).seq())).hasSize(3);
    assertThat(files.listChannel(channel)).containsExactlyInAnyOrderElementsOf(
        inserted.stream().map(PackageFileRepository.Inserted::file).toList());
  }

  @Test
  void insertAllKeepsEachFilesDependencyRowsAndContentsUnderItsOwnId() {
    NewPackageFile zlib = PackageFiles.realZlib(channel);
    NewPackageFile withContents = new NewPackageFile(zlib.channelId(), zlib.label(), zlib.subdir(), zlib.filename(),
        zlib.name(), zlib.version(), zlib.build(), zlib.buildNumber(), zlib.md5(), zlib.sha256(), zlib.size(),
        zlib.blobKey(), zlib.recordJson(), zlib.indexJson(), zlib.aboutJson(), zlib.runExportsJson(),
        zlib.pathsFlagsJson(), "[]");
    List<PackageFileRepository.Inserted> inserted = files.insertAll(List.of(file(channel, "main", "noarch",
        "a-1.0-0.conda"), withContents));

    long zlibId = inserted.get(1).file().id();
    List<String> specs = db.jdbi().withHandle(h -> h.createQuery("SELECT spec FROM package_dependencies"
        + " WHERE file_id = :id ORDER BY position").bind("id", zlibId).mapTo(String.class).list());
    assertThat(specs).containsExactly("libgcc-ng >=7.3.0");
    long plainDependencies = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM package_dependencies"
        + " WHERE file_id = :id").bind("id", inserted.get(0).file().id()).mapTo(Long.class).one());
    assertThat(plainDependencies).isZero();
    assertThat(files.contents(zlib.sha256())).contains("[]");
    assertThat(files.find(channel, "main", "linux-64", zlib.filename()).orElseThrow().id()).isEqualTo(zlibId);
  }

  @Test
  void dependencyRowsMadeReadyByTheCallerAreStoredAsThoseReadFromTheRecordWouldBe() {
    NewPackageFile zlib = PackageFiles.realZlib(channel);
    NewPackageFile ready = new NewPackageFile(zlib.channelId(), "ready", zlib.subdir(), zlib.filename(), zlib.name(),
        zlib.version(), zlib.build(), zlib.buildNumber(), zlib.md5(), zlib.sha256(), zlib.size(), zlib.blobKey(),
        "{\"name\":\"zlib\",\"depends\":[\"libgcc-ng >=7.3.0\",7,\"python 3.9.*\"],\"constrains\":[\"zstd <2\"]}",
        zlib.indexJson(), null, null, null, null, null).withDependencyRows();
    NewPackageFile read = new NewPackageFile(ready.channelId(), "read", ready.subdir(), ready.filename(), ready.name(),
        ready.version(), ready.build(), ready.buildNumber(), ready.md5(), ready.sha256(), ready.size(), ready.blobKey(),
        ready.recordJson(), ready.indexJson(), null, null, null, null, null);
    assertThat(ready.dependencyRows()).hasSize(3);
    assertThat(read.dependencyRows()).isNull();

    List<PackageFileRepository.Inserted> inserted = files.insertAll(List.of(ready, read));

    java.util.function.LongFunction<List<String>> rows = id -> db.jdbi().withHandle(h -> h.createQuery("SELECT kind"
        + " || ' ' || dep_name || ' ' || spec || ' ' || position FROM package_dependencies WHERE file_id = :id"
        + " ORDER BY kind DESC, position").bind("id", id).mapTo(String.class).list());
    assertThat(rows.apply(inserted.get(0).file().id())).containsExactly("depends libgcc-ng libgcc-ng >=7.3.0 0",
        "depends python python 3.9.* 2", "constrains zstd zstd <2 0");
    assertThat(rows.apply(inserted.get(1).file().id())).isEqualTo(rows.apply(inserted.get(0).file().id()));
  }

  @Test
  void insertAllStoresEveryColumnOfEachRowAndLeavesAbsentJsonNull() {
    NewPackageFile zlib = PackageFiles.realZlib(channel);
    String upstreamSignatures = "{\"0123abcd\":{\"signature\":\"" + "e".repeat(128) + "\"}}";
    NewPackageFile signedUpstream = new NewPackageFile(zlib.channelId(), zlib.label(), zlib.subdir(),
        zlib.filename(), zlib.name(), zlib.version(), zlib.build(), 7, zlib.md5(), zlib.sha256(), 5_000_000_000L,
        zlib.blobKey(), zlib.recordJson(), zlib.indexJson(), zlib.aboutJson(), zlib.runExportsJson(),
        zlib.pathsFlagsJson(), null, upstreamSignatures);
    NewPackageFile plain = file(channel, "dev", "noarch", "a-1.0-0.conda");

    List<PackageFileRepository.Inserted> inserted = files.insertAll(List.of(signedUpstream, plain));

    PackageFile zlibRead = files.find(channel, "main", "linux-64", zlib.filename()).orElseThrow();
    PackageFile plainRead = files.find(channel, "dev", "noarch", "a-1.0-0.conda").orElseThrow();
    assertThat(List.of(zlibRead, plainRead)).containsExactly(inserted.get(0).file(), inserted.get(1).file());
    assertThat(zlibRead).usingRecursiveComparison().ignoringFields("id", "uploadedAt")
        .isEqualTo(signedUpstream);
    assertThat(zlibRead.uploadedAt()).isEqualTo(T0);
    assertThat(zlibRead.buildNumber()).isEqualTo(7);
    assertThat(zlibRead.size()).as("sizes past 32 bits").isEqualTo(5_000_000_000L);
    assertThat(zlibRead.signaturesJson()).as("an upstream's signatures, without keys here")
        .isEqualTo(upstreamSignatures);
    assertThat(plainRead).usingRecursiveComparison().ignoringFields("id", "uploadedAt", "signaturesJson")
        .isEqualTo(plain);
    assertThat(plainRead.aboutJson()).isNull();
    assertThat(plainRead.runExportsJson()).isNull();
    assertThat(plainRead.pathsFlagsJson()).isNull();
    assertThat(plainRead.signaturesJson()).isNull();
    assertThat(files.contents(plain.sha256())).as("no listing given, none kept").isEmpty();
  }

  @Test
  void insertAllTakesTheBlobsItUsesOffTheGarbageListAndNoOthers() {
    NewPackageFile a = file(channel, "main", "noarch", "a-1.0-0.conda");
    NewPackageFile b = file(channel, "main", "noarch", "b-1.0-0.conda");
    db.jdbi().useHandle(h -> {
      h.execute("DELETE FROM blob_garbage");
      for (String key : List.of(a.blobKey(), b.blobKey(), "sha256/unused")) {
        h.execute("INSERT INTO blob_garbage (blob_key, marked_at) VALUES (?, ?)", key, T0.toEpochMilli());
      }
    });

    files.insertAll(List.of(a, b));

    List<String> garbage = db.jdbi().withHandle(h -> h.createQuery("SELECT blob_key FROM blob_garbage")
        .mapTo(String.class).list());
    assertThat(garbage).containsExactly("sha256/unused");
  }

  @Test
  void insertAllRecordsNothingWhenOneLocationIsTaken() {
    PackageFile there = files.insert(file(channel, "main", "noarch", "b-1.0-0.conda"), false).file();

    assertThatThrownBy(() -> files.insertAll(List.of(file(channel, "main", "noarch", "a-1.0-0.conda"),
        file(channel, "main", "noarch", "b-1.0-0.conda")))).isInstanceOf(DuplicateKeyException.class);

    assertThat(files.listChannel(channel)).containsExactly(there);
  }

  @Test
  void locateFindsTheGivenFilesOfOneLocationOnly() {
    files.insert(file(channel, "main", "noarch", "a-1.0-0.conda"), false);
    files.insert(file(channel, "main", "linux-64", "b-1.0-0.conda"), false);
    files.insert(file(channel, "dev", "noarch", "c-1.0-0.conda"), false);
    List<String> asked = new ArrayList<>(List.of("a-1.0-0.conda", "b-1.0-0.conda", "c-1.0-0.conda"));
    for (int i = 0; i < 1_200; i++) { // more than one slice of bound parameters
      asked.add("z-" + i + "-0.conda");
    }

    List<PackageFileRepository.Located> found = files.locate(channel, "main", "noarch", asked);

    NewPackageFile a = file(channel, "main", "noarch", "a-1.0-0.conda");
    assertThat(found).containsExactly(new PackageFileRepository.Located("noarch", "a-1.0-0.conda", a.sha256(),
        a.size()));
    assertThat(files.locate(otherChannel, "main", "noarch", asked)).isEmpty();
  }

  @Test
  void replacingInsertReturnsTheRowItReplaced() {
    PackageFile original = files.insert(file(channel, "main", "noarch", "a-1.0-0.conda"), false).file();
    clock.advance(Duration.ofMinutes(5));
    NewPackageFile newer = withBlobKey(file(channel, "main", "noarch", "a-1.0-0.conda"), "sha256/newer");

    PackageFileRepository.Inserted result = files.insert(newer, true);

    assertThat(result.replaced()).contains(original);
    assertThat(result.file().blobKey()).isEqualTo("sha256/newer");
    assertThat(result.file().uploadedAt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
    assertThat(files.listChannel(channel)).containsExactly(result.file());
  }

  @Test
  void replacingInsertOfNewFileReplacesNothing() {
    PackageFileRepository.Inserted result = files.insert(file(channel, "main", "noarch", "a-1.0-0.conda"), true);

    assertThat(result.replaced()).isEmpty();
    assertThat(files.find(channel, "main", "noarch", "a-1.0-0.conda")).contains(result.file());
  }

  @Test
  void replaceAllSwapsEachRowInOneTransactionAndRecordsNewOnesAsInserts() {
    PackageFile a = files.insert(file(channel, "main", "noarch", "a-1.0-0.conda"), false).file();
    PackageFile b = files.insert(file(channel, "main", "noarch", "b-1.0-0.conda"), false).file();
    long changesBefore = changeLogEntries();

    List<PackageFileRepository.Inserted> result = files.replaceAll(List.of(
        withBlobKey(file(channel, "main", "noarch", "a-1.0-0.conda"), "sha256/a2"),
        withBlobKey(file(channel, "main", "noarch", "b-1.0-0.conda"), "sha256/b2"),
        file(channel, "main", "noarch", "c-1.0-0.conda")), io.wharf.server.history.Actor.SYSTEM);

    assertThat(result).extracting(i -> i.file().filename()).containsExactly("a-1.0-0.conda", "b-1.0-0.conda",
        "c-1.0-0.conda");
    assertThat(result.get(0).replaced()).contains(a);
    assertThat(result.get(1).replaced()).contains(b);
    assertThat(result.get(2).replaced()).isEmpty();
    assertThat(files.listChannel(channel)).extracting(PackageFile::blobKey)
        .containsExactly("sha256/a2", "sha256/b2", file(channel, "main", "noarch", "c-1.0-0.conda").blobKey());
    assertThat(changeLogEntries()).isEqualTo(changesBefore + 3);
  }

  @Test
  void replaceAllThatFailsPartWayReplacesNothing() {
    PackageFile a = files.insert(file(channel, "main", "noarch", "a-1.0-0.conda"), false).file();

    assertThatThrownBy(() -> files.replaceAll(List.of(withBlobKey(file(channel, "main", "noarch", "a-1.0-0.conda"),
        "sha256/a2"), file(otherChannel + 1000, "main", "noarch", "b-1.0-0.conda")),
        io.wharf.server.history.Actor.SYSTEM)).isInstanceOf(RuntimeException.class);

    assertThat(files.listChannel(channel)).containsExactly(a);
  }

  private long changeLogEntries() {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM change_log").mapTo(Long.class).one());
  }

  @Test
  void insertIntoMissingChannelFails() {
    assertThatThrownBy(() -> files.insert(file(otherChannel + 1000, "main", "noarch", "a-1.0-0.conda"), false))
        .isNotInstanceOf(DuplicateKeyException.class);
    assertThat(files.referencedBlobKeys(List.of("sha256/" + "0".repeat(64)))).isEmpty();
    assertThat(files.anyFile()).isFalse();
  }

  @Test
  void listSubdirHoldsOnlyThatLabelAndSubdirOrderedByFilename() {
    for (String name : new String[] {"b-1.0-0.conda", "a-2.0-0.tar.bz2", "a-2.0-0.conda", "B-1.0-0.conda"}) {
      files.insert(file(channel, "main", "linux-64", name), false);
    }
    files.insert(file(channel, "main", "noarch", "c-1.0-0.conda"), false);
    files.insert(file(channel, "dev", "linux-64", "d-1.0-0.conda"), false);
    files.insert(file(otherChannel, "main", "linux-64", "e-1.0-0.conda"), false);

    assertThat(files.listSubdir(channel, "main", "linux-64")).extracting(PackageFile::filename)
        .containsExactly("B-1.0-0.conda", "a-2.0-0.conda", "a-2.0-0.tar.bz2", "b-1.0-0.conda");
  }

  @Test
  void listChannelOrdersByNameThenSubdirThenFilename() {
    files.insert(file(channel, "main", "noarch", "b-1.0-0.conda"), false);
    files.insert(file(channel, "main", "osx-64", "a-1.0-0.conda"), false);
    files.insert(file(channel, "main", "linux-64", "a-2.0-0.conda"), false);
    files.insert(file(channel, "main", "linux-64", "a-1.0-0.conda"), false);

    assertThat(files.listChannel(channel)).extracting(f -> f.subdir() + "/" + f.filename())
        .containsExactly("linux-64/a-1.0-0.conda", "linux-64/a-2.0-0.conda", "osx-64/a-1.0-0.conda",
            "noarch/b-1.0-0.conda");
  }

  @Test
  void listByNameFindsEveryFileOfThatPackageOnly() {
    files.insert(file(channel, "main", "noarch", "numpy-1.0-0.conda"), false);
    files.insert(file(channel, "dev", "linux-64", "numpy-2.0-0.conda"), false);
    files.insert(file(channel, "main", "noarch", "numpy-base-1.0-0.conda"), false);
    files.insert(file(otherChannel, "main", "noarch", "numpy-3.0-0.conda"), false);

    assertThat(files.listByName(channel, "numpy")).extracting(PackageFile::filename)
        .containsExactly("numpy-2.0-0.conda", "numpy-1.0-0.conda");
  }

  @Test
  void listByNamesGivesEachNameItsOwnFilesAsListByNameDoesAndUnknownNamesNone() {
    files.insert(file(channel, "main", "noarch", "numpy-1.0-0.conda"), false);
    files.insert(file(channel, "dev", "linux-64", "numpy-2.0-0.conda"), false);
    files.insert(file(channel, "main", "noarch", "numpy-base-1.0-0.conda"), false);
    files.insert(file(otherChannel, "main", "noarch", "numpy-3.0-0.conda"), false);

    java.util.Map<String, List<PackageFile>> byName =
        files.listByNames(channel, List.of("numpy", "numpy-base", "scipy"));

    assertThat(byName.keySet()).containsExactly("numpy", "numpy-base", "scipy");
    assertThat(byName.get("numpy")).isEqualTo(files.listByName(channel, "numpy"));
    assertThat(byName.get("numpy")).extracting(PackageFile::filename)
        .containsExactly("numpy-2.0-0.conda", "numpy-1.0-0.conda");
    assertThat(byName.get("numpy-base")).extracting(PackageFile::filename).containsExactly("numpy-base-1.0-0.conda");
    assertThat(byName.get("scipy")).isEmpty();
  }

  @Test
  void subdirsAndLabelsAreDistinctAndSorted() {
    files.insert(file(channel, "main", "noarch", "a-1.0-0.conda"), false);
    files.insert(file(channel, "main", "linux-64", "a-1.0-0.conda"), false);
    files.insert(file(channel, "main", "linux-64", "b-1.0-0.conda"), false);
    files.insert(file(channel, "dev", "osx-arm64", "a-1.0-0.conda"), false);
    files.insert(file(channel, "Beta", "noarch", "a-1.0-0.conda"), false);
    files.insert(file(otherChannel, "rc", "win-64", "a-1.0-0.conda"), false);

    assertThat(files.subdirs(channel, "main")).containsExactly("linux-64", "noarch");
    assertThat(files.subdirs(channel, "nothing")).isEmpty();
    assertThat(files.labels(channel)).containsExactly("Beta", "dev", "main");
  }

  @Test
  void packageNamesCountFilesAndTellTheLatestUpload() {
    files.insert(file(channel, "main", "noarch", "zlib-1.0-0.conda"), false);
    clock.advance(Duration.ofHours(1));
    files.insert(file(channel, "main", "linux-64", "numpy-1.0-0.conda"), false);
    clock.advance(Duration.ofHours(1));
    files.insert(file(channel, "dev", "linux-64", "numpy-2.0-0.conda"), false);
    files.insert(file(otherChannel, "main", "noarch", "numpy-9.0-0.conda"), false);

    assertThat(files.packageNames(channel)).containsExactly(
        new PackageNameSummary("numpy", 2, T0.plus(Duration.ofHours(2))),
        new PackageNameSummary("zlib", 1, T0));
  }

  @Test
  void recentListsTheNewestUploadsOfTheGivenChannelsFirst() {
    files.insert(file(channel, "main", "noarch", "old-1.0-0.conda"), false);
    clock.advance(Duration.ofMinutes(1));
    PackageFile same1 = files.insert(file(channel, "main", "noarch", "same-1.0-0.conda"), false).file();
    PackageFile same2 = files.insert(file(channel, "dev", "noarch", "same-1.0-0.conda"), false).file();
    clock.advance(Duration.ofMinutes(1));
    PackageFile elsewhere = files.insert(file(otherChannel, "main", "noarch", "x-1.0-0.conda"), false).file();

    assertThat(files.recent(java.util.Set.of(channel), 2)).containsExactly(same2, same1);
    assertThat(files.recent(java.util.Set.of(channel, otherChannel), 10)).extracting(PackageFile::filename)
        .containsExactly("x-1.0-0.conda", "same-1.0-0.conda", "same-1.0-0.conda", "old-1.0-0.conda");
    assertThat(files.recent(java.util.Set.of(channel, otherChannel), 1)).containsExactly(elsewhere);
    assertThat(files.recent(java.util.Set.of(), 10)).isEmpty();
  }

  @Test
  void deleteRemovesOnlyThatFile() {
    PackageFile doomed = files.insert(file(channel, "main", "noarch", "a-1.0-0.conda"), false).file();
    PackageFile kept = files.insert(file(channel, "main", "noarch", "b-1.0-0.conda"), false).file();

    assertThat(files.delete(doomed.id())).isPresent();
    assertThat(files.delete(doomed.id())).isEmpty();

    assertThat(files.listChannel(channel)).containsExactly(kept);
  }

  @Test
  void referencedBlobKeysNameTheAskedKeysSomeRowOfAnyChannelUses() {
    files.insert(withBlobKey(file(channel, "main", "noarch", "a-1.0-0.conda"), "sha256/shared"), false);
    files.insert(withBlobKey(file(otherChannel, "main", "noarch", "a-1.0-0.conda"), "sha256/shared"), false);
    files.insert(withBlobKey(file(otherChannel, "main", "noarch", "b-1.0-0.conda"), "sha256/own"), false);

    assertThat(files.referencedBlobKeys(List.of("sha256/shared", "sha256/own", "sha256/orphan")))
        .containsExactlyInAnyOrder("sha256/shared", "sha256/own");
    assertThat(files.referencedBlobKeys(List.of("sha256/orphan"))).isEmpty();
    assertThat(files.referencedBlobKeys(List.of())).isEmpty();
  }

  @Test
  void concurrentInsertsFromManyThreadsAllLand() throws Exception {
    int threads = 8;
    int perThread = 25;
    List<String> expected = new ArrayList<>();
    runConcurrently(threads, t -> {
      for (int i = 0; i < perThread; i++) {
        // Alternate plain and replacing inserts: both take the write path.
        files.insert(file(channel, "main", "linux-64", "pkg" + t + "-1." + i + "-0.conda"), i % 2 == 0);
      }
    });
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < perThread; i++) {
        expected.add("pkg" + t + "-1." + i + "-0.conda");
      }
    }

    assertThat(files.listSubdir(channel, "main", "linux-64")).extracting(PackageFile::filename)
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void concurrentReplacementsOfOneFileLeaveExactlyOneRow() throws Exception {
    int threads = 8;
    runConcurrently(threads, t -> {
      for (int i = 0; i < 10; i++) {
        files.insert(withBlobKey(file(channel, "main", "noarch", "a-1.0-0.conda"), "sha256/" + t + "-" + i), true);
      }
    });

    assertThat(files.listChannel(channel)).hasSize(1);
  }

  private interface Work {
    void run(int thread) throws Exception;
  }

  /** Starts all threads at once so their writes overlap, and rethrows the first failure. */
  private static void runConcurrently(int threads, Work work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          start.await();
          work.run(thread);
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(5, TimeUnit.MINUTES); // only guards against a hang; no timing is asserted
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static NewPackageFile withBlobKey(NewPackageFile f, String blobKey) {
    return new NewPackageFile(f.channelId(), f.label(), f.subdir(), f.filename(), f.name(), f.version(), f.build(),
        f.buildNumber(), f.md5(), f.sha256(), f.size(), blobKey, f.recordJson(), f.indexJson(), f.aboutJson(),
        f.runExportsJson(), f.pathsFlagsJson());
  }
}
