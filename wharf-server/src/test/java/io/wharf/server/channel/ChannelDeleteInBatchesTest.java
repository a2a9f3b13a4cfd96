package io.wharf.server.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.db.Database;
import io.wharf.server.events.ChannelRemoved;
import io.wharf.server.events.Events;
import io.wharf.server.pkg.JdbcPackageFilePages;
import io.wharf.server.pkg.BlobSweeper;
import io.wharf.server.pkg.JdbcPackageFileRepository;
import io.wharf.server.pkg.NewPackageFile;
import io.wharf.server.pkg.PackageFilePages;
import io.wharf.server.pkg.PackageFilePages.FileFilter;
import io.wharf.server.pkg.PackageFileRepository;
import io.wharf.server.pkg.PackageFiles;
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

/** Deleting a channel larger than one delete batch: every row and blob goes, a batch at a time. */
class ChannelDeleteInBatchesTest {
  private static final int BATCH = 3;

  @TempDir Path dir;
  private Database db;
  private BlobStore blobs;
  private PackageFileRepository files;
  private PackageFilePages pages;
  private JdbcChannelRepository channelRows;
  private final Events events = new Events();
  private final List<Object> removed = new ArrayList<>();
  private final List<Integer> batches = new ArrayList<>();
  private ChannelService service;

  @BeforeEach
  void open() throws IOException {
    db = Database.openSqlite(dir.resolve("wharf.db"));
    blobs = new FileSystemBlobStore(dir.resolve("blobs"));
    files = new JdbcPackageFileRepository(db);
    pages = new JdbcPackageFilePages(db);
    channelRows = new JdbcChannelRepository(db);
    events.subscribe(ChannelRemoved.class, removed::add);
    ChannelFiles counted = (channelId, limit) -> {
      int n = pages.deleteBatch(channelId, limit);
      batches.add(n);
      return n;
    };
    service = new ChannelService(channelRows, counted, events, BATCH);
  }

  @AfterEach
  void close() {
    blobs.close();
    db.close();
  }

  /** Stores {@code count} files (row and blob) in the channel; returns their blob keys. */
  private List<String> fill(Channel c, int count) throws IOException {
    List<String> keys = new ArrayList<>();
    Path content = Files.writeString(dir.resolve("content"), "package bytes of " + c.name());
    for (int i = 0; i < count; i++) {
      NewPackageFile f = PackageFiles.file(c.id(), i % 2 == 0 ? "main" : "dev", "noarch",
          String.format("pkg%02d-1.0-0.conda", i));
      blobs.put(f.blobKey(), content);
      files.insert(f, false);
      keys.add(f.blobKey());
    }
    return keys;
  }

  @Test
  void aChannelOfManyBatchesLosesEveryRowAtOnceAndItsBlobsAfterTheGracePeriod() throws IOException {
    Channel big = service.create("big", "", Privacy.PUBLIC);
    Channel kept = service.create("kept", "", Privacy.PUBLIC);
    List<String> bigKeys = fill(big, 10);
    List<String> keptKeys = fill(kept, 2);

    service.delete("big");

    assertThat(batches).as("three full batches, one partial, then the empty one that ends it")
        .containsExactly(3, 3, 3, 1, 0);
    assertThat(pages.files(big.id(), FileFilter.ALL, null, 100)).isEmpty();
    for (String key : bigKeys) {
      assertThat(blobs.size(key)).as("kept for nodes that still list it: " + key).isPresent();
    }
    new BlobSweeper(files, blobs, BlobSweeper.DEFAULT_GRACE_MILLIS)
        .sweep(System.currentTimeMillis() + BlobSweeper.DEFAULT_GRACE_MILLIS + 1_000);
    for (String key : bigKeys) {
      assertThat(blobs.size(key)).as(key).isEmpty();
    }
    assertThat(service.find("big")).isEmpty();
    assertThat(channelRows.findByName("big")).isEmpty();
    assertThat(removed).containsExactly(new ChannelRemoved(big.id(), "big"));

    assertThat(pages.files(kept.id(), FileFilter.ALL, null, 100)).hasSize(2);
    for (String key : keptKeys) {
      assertThat(blobs.size(key)).as(key).isPresent();
    }
  }

  @Test
  void anEmptyChannelIsDeletedWithoutABatch() {
    Channel empty = service.create("empty", "", Privacy.PUBLIC);

    service.delete("empty");

    assertThat(batches).containsExactly(0);
    assertThat(channelRows.findByName("empty")).isEmpty();
    assertThat(removed).containsExactly(new ChannelRemoved(empty.id(), "empty"));
  }
}
