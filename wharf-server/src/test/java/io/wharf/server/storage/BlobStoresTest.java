package io.wharf.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.server.storage.fs.FileSystemBlobStore;
import io.wharf.server.storage.s3.S3BlobStore;
import io.wharf.server.testing.S3Fixture;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobStoresTest {

  @TempDir
  Path dir;

  @Test
  void noSpecMeansFilesInTheDefaultDirectory() throws IOException {
    try (BlobStore store = BlobStores.open("  ", dir.resolve("blobs"))) {
      assertThat(store).isInstanceOf(FileSystemBlobStore.class);
      assertThat(((FileSystemBlobStore) store).root()).isEqualTo(dir.resolve("blobs").toRealPath());
    }
  }

  @Test
  void plainPathAndFileUrisSelectTheFileStore() throws IOException {
    try (BlobStore plain = BlobStores.open(dir.resolve("p").toString(), dir);
         BlobStore fileColon = BlobStores.open("file:" + dir.resolve("f"), dir);
         BlobStore fileUri = BlobStores.open(dir.resolve("u").toUri().toString(), dir)) {
      assertThat(((FileSystemBlobStore) plain).root()).isEqualTo(dir.resolve("p").toRealPath());
      assertThat(((FileSystemBlobStore) fileColon).root()).isEqualTo(dir.resolve("f").toRealPath());
      assertThat(((FileSystemBlobStore) fileUri).root()).isEqualTo(dir.resolve("u").toRealPath());
    }
  }

  @Test
  void s3SpecSelectsTheS3Store() throws IOException {
    try (S3Fixture s3 = S3Fixture.start();
         BlobStore store = BlobStores.open(s3.storageSpec("chosen-bucket", "wharf"), dir)) {
      assertThat(store).isInstanceOf(S3BlobStore.class);
      assertThat(((S3BlobStore) store).config().bucket()).isEqualTo("chosen-bucket");
      assertThat(((S3BlobStore) store).config().prefix()).isEqualTo("wharf");
      store.check();
    }
  }

  @Test
  void unknownSchemeIsRejectedWithoutEchoingCredentials() {
    assertThatThrownBy(() -> BlobStores.open("gs://user:hunter2@host/bucket", dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("hunter2");
  }
}
