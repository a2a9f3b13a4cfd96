package io.wharf.server.pkg;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.channel.JdbcChannelRepository;
import io.wharf.server.channel.Privacy;
import io.wharf.server.db.Database;
import io.wharf.server.storage.BlobStore;
import io.wharf.server.storage.fs.FileSystemBlobStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweeper removes unused blobs after the grace period, and what was worked out from their bytes with them. */
class BlobSweeperTest {
  private static final long GRACE = BlobSweeper.DEFAULT_GRACE_MILLIS;

  @TempDir Path dir;
  private Database db;
  private BlobStore blobs;
  private JdbcPackageFileRepository files;
  private long channel;
  private long other;

  @BeforeEach
  void open() throws IOException {
    db = Database.openSqlite(dir.resolve("wharf.db"));
    blobs = new FileSystemBlobStore(dir.resolve("blobs"));
    files = new JdbcPackageFileRepository(db);
    JdbcChannelRepository channels = new JdbcChannelRepository(db);
    channel = channels.create("main", "", Privacy.PUBLIC).id();
    other = channels.create("other", "", Privacy.PUBLIC).id();
  }

  @AfterEach
  void close() {
    blobs.close();
    db.close();
  }

  private long afterGrace() {
    return System.currentTimeMillis() + GRACE + 1_000;
  }

  /** A row whose blob key is the content-addressed key of its bytes, with the blob and its contents listing. */
  private PackageFile store(long channelId, String filename, String bytes) throws IOException {
    NewPackageFile f = PackageFiles.file(channelId, "main", "noarch", filename);
    String key = PackageStore.blobKey(f.sha256());
    NewPackageFile keyed = new NewPackageFile(f.channelId(), f.label(), f.subdir(), f.filename(), f.name(), f.version(),
        f.build(), f.buildNumber(), f.md5(), f.sha256(), f.size(), key, f.recordJson(), f.indexJson(), f.aboutJson(),
        f.runExportsJson(), f.pathsFlagsJson(), "[]");
    blobs.put(key, Files.writeString(dir.resolve("content"), bytes));
    return files.insert(keyed, false).file();
  }

  @Test
  void aDeletedFilesBlobAndItsContentsListingGoOnlyAfterTheGracePeriod() throws IOException {
    PackageFile f = store(channel, "a-1.0-0.conda", "a");
    files.delete(f.id());

    assertThat(new BlobSweeper(files, blobs, GRACE).sweep(System.currentTimeMillis())).isZero();
    assertThat(blobs.size(f.blobKey())).as("within the grace period").isPresent();
    assertThat(files.contents(f.sha256())).isPresent();

    assertThat(new BlobSweeper(files, blobs, GRACE).sweep(afterGrace())).isEqualTo(1);
    assertThat(blobs.size(f.blobKey())).isEmpty();
    assertThat(files.contents(f.sha256())).as("the listing goes with the bytes").isEmpty();
  }

  @Test
  void anOrphanBlobLosesItsKeptListingTooWhileBlobsRowsStillUseKeepTheirs() throws IOException {
    PackageFile used = store(channel, "a-1.0-0.conda", "a");
    String orphanSha = "e".repeat(64);
    String orphanKey = PackageStore.blobKey(orphanSha);
    blobs.put(orphanKey, Files.writeString(dir.resolve("orphan"), "never committed"));
    files.keepContents(orphanSha, "[]");

    assertThat(new BlobSweeper(files, blobs, GRACE).sweep(afterGrace())).isEqualTo(1);

    assertThat(blobs.size(orphanKey)).isEmpty();
    assertThat(files.contents(orphanSha)).isEmpty();
    assertThat(blobs.size(used.blobKey())).isPresent();
    assertThat(files.contents(used.sha256())).isPresent();
  }

  @Test
  void moreBlobsThanOneLookupChunkKeepExactlyTheOnesRowsUse() throws IOException {
    List<String> kept = new ArrayList<>();
    List<String> orphans = new ArrayList<>();
    for (int i = 0; i < 1_200; i++) {
      if (i % 3 == 0) {
        kept.add(store(i % 2 == 0 ? channel : other, String.format("p%04d-1.0-0.conda", i), "p" + i).blobKey());
      } else {
        String key = PackageStore.blobKey(String.format("%064x", i));
        blobs.put(key, Files.writeString(dir.resolve("orphan"), "orphan " + i));
        orphans.add(key);
      }
    }

    assertThat(new BlobSweeper(files, blobs, GRACE).sweep(afterGrace())).isEqualTo(orphans.size());

    assertThat(blobs.list("sha256/")).containsExactlyInAnyOrderElementsOf(kept);
  }
}
