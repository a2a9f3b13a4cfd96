package io.wharf.server.testing;

import java.net.URI;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * An in-memory S3 server (s3proxy) on a free loopback port, for tests that need real S3 wire traffic.
 * Start one per test class and give each test its own bucket; the contents vanish with {@link #close()}.
 */
public final class S3Fixture implements AutoCloseable {

  public static final String ACCESS_KEY = "wharf-test-access";
  public static final String SECRET_KEY = "wharf-test-secret/with+odd=chars";
  public static final String REGION = "us-east-1";

  private final S3Proxy proxy;

  private S3Fixture(S3Proxy proxy) {
    this.proxy = proxy;
  }

  public static S3Fixture start() {
    S3Proxy proxy = S3Proxy.builder()
        .blobStore(new TransientNio2BlobStore())
        // port 0: the OS picks a free port, read back after start
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        .build();
    try {
      proxy.start();
    } catch (Exception e) {
      throw new IllegalStateException("s3proxy did not start", e);
    }
    return new S3Fixture(proxy);
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  /** A WHARF_STORAGE value that selects this server and bucket. */
  public String storageSpec(String bucket) {
    return storageSpec(bucket, "");
  }

  public String storageSpec(String bucket, String prefix) {
    return "s3://" + ACCESS_KEY + ":" + SECRET_KEY.replace("/", "%2F").replace("+", "%2B").replace("=", "%3D")
        + "@127.0.0.1:" + proxy.getPort() + "/" + bucket + (prefix.isEmpty() ? "" : "/" + prefix)
        + "?region=" + REGION + "&scheme=http";
  }

  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("s3proxy did not stop", e);
    }
  }
}
