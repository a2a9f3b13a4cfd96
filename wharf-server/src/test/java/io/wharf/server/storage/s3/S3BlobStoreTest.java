package io.wharf.server.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.server.storage.BlobStore;
import io.wharf.server.storage.BlobStoreContract;
import io.wharf.server.testing.S3Fixture;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class S3BlobStoreTest extends BlobStoreContract {

  private static final AtomicInteger BUCKETS = new AtomicInteger();
  private static S3Fixture s3;

  @BeforeAll
  static void startS3() {
    s3 = S3Fixture.start();
  }

  @AfterAll
  static void stopS3() {
    if (s3 != null) {
      s3.close();
    }
  }

  @Override
  protected BlobStore newStore() throws IOException {
    // a fresh bucket per test, created by the store itself
    return new S3BlobStore(S3Config.parse(s3.storageSpec(freshBucket())));
  }

  @Test
  void storesSharingABucketSeeOnlyTheirOwnPrefix() throws IOException {
    String bucket = freshBucket();
    try (BlobStore a = new S3BlobStore(S3Config.parse(s3.storageSpec(bucket, "node/a")));
         BlobStore b = new S3BlobStore(S3Config.parse(s3.storageSpec(bucket, "node/b")));
         BlobStore whole = new S3BlobStore(S3Config.parse(s3.storageSpec(bucket)))) {
      a.put("k", source(bytes("from a")));
      b.put("k", source(bytes("from b")));

      assertThat(a.list("")).containsExactly("k");
      assertThat(read(b.open("k"))).isEqualTo(bytes("from b"));
      assertThat(whole.list("node/")).containsExactly("node/a/k", "node/b/k");
      assertThat(a.delete("k")).isTrue();
      assertThat(b.size("k")).contains(6L);
    }
  }

  @Test
  void openingTwiceReusesTheExistingBucket() throws IOException {
    String bucket = freshBucket();
    try (BlobStore first = new S3BlobStore(S3Config.parse(s3.storageSpec(bucket)))) {
      first.put("k", source(bytes("kept")));
    }
    try (BlobStore second = new S3BlobStore(S3Config.parse(s3.storageSpec(bucket)))) {
      assertThat(read(second.open("k"))).isEqualTo(bytes("kept"));
    }
  }

  @Test
  void wrongCredentialsFailAtStart() {
    S3Config good = S3Config.parse(s3.storageSpec(freshBucket()));
    S3Config bad = new S3Config(good.endpoint(), good.region(), good.bucket(), good.accessKey(), "not-the-secret",
        good.prefix(), true);

    assertThatThrownBy(() -> new S3BlobStore(bad).close()).isInstanceOf(IOException.class);
  }

  @Test
  void checkFailsWhenTheServerIsUnreachable() throws IOException {
    S3Config config = S3Config.parse(s3.storageSpec(freshBucket()));
    S3Fixture other = S3Fixture.start();
    BlobStore doomed;
    try {
      doomed = new S3BlobStore(new S3Config(other.endpoint(), config.region(), config.bucket(), config.accessKey(),
          config.secretKey(), config.prefix(), true));
      doomed.check();
    } finally {
      other.close();
    }
    try (doomed) {
      assertThatThrownBy(doomed::check).isInstanceOf(IOException.class);
    }
  }

  @Test
  void unreachableEndpointFailsAtStart() {
    S3Config config = S3Config.parse(s3.storageSpec(freshBucket()));
    // port 1 on loopback: nothing listens there
    S3Config nowhere = new S3Config(URI.create("http://127.0.0.1:1"), config.region(), config.bucket(),
        config.accessKey(), config.secretKey(), "", true);

    assertThatThrownBy(() -> new S3BlobStore(nowhere).close()).isInstanceOf(IOException.class);
  }

  private static String freshBucket() {
    return "wharf-test-" + BUCKETS.incrementAndGet();
  }
}
