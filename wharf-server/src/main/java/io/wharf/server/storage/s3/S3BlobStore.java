package io.wharf.server.storage.s3;

import io.wharf.server.storage.BlobKeys;
import io.wharf.server.storage.BlobNotFoundException;
import io.wharf.server.storage.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.CreateBucketConfiguration;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Blobs as objects in one S3 bucket (AWS, MinIO, Ceph, s3proxy ...), under an optional key prefix.
 * A single PutObject is atomic in S3: the object appears complete or not at all, so no temporary key is needed.
 */
public final class S3BlobStore implements BlobStore {

  /** Largest object a single PutObject may carry. */
  static final long MAX_SINGLE_PUT = 5L * 1024 * 1024 * 1024;

  private final S3Config config;
  private final S3Client s3;

  /** Connects and creates the bucket when it does not exist yet. */
  public S3BlobStore(S3Config config) throws IOException {
    this.config = config;
    this.s3 = client(config);
    try {
      ensureBucket();
    } catch (IOException | RuntimeException e) {
      s3.close();
      throw e;
    }
  }

  public S3Config config() {
    return config;
  }

  @Override
  public void put(String key, Path source) throws IOException {
    String object = config.objectName(BlobKeys.requireValid(key));
    if (!Files.isRegularFile(source)) {
      throw new NoSuchFileException(source.toString(), null, "not a regular file");
    }
    long size = Files.size(source);
    if (size > MAX_SINGLE_PUT) {
      throw new IOException("blob " + key + " is " + size + " bytes, more than a single S3 PUT allows");
    }
    try {
      s3.putObject(b -> b.bucket(config.bucket()).key(object).contentLength(size), RequestBody.fromFile(source));
    } catch (SdkException e) {
      throw failure("put", key, e);
    }
  }

  @Override
  public void put(String key, io.wharf.server.storage.BlobSource source) throws IOException {
    if (source instanceof io.wharf.server.storage.BlobSource.OfFile f) {
      put(key, f.path());
      return;
    }
    byte[] bytes = ((io.wharf.server.storage.BlobSource.OfBytes) source).bytes();
    String object = config.objectName(BlobKeys.requireValid(key));
    try {
      s3.putObject(b -> b.bucket(config.bucket()).key(object).contentLength((long) bytes.length),
          RequestBody.fromBytes(bytes));
    } catch (SdkException e) {
      throw failure("put", key, e);
    }
  }

  @Override
  public Optional<Long> size(String key) throws IOException {
    String object = config.objectName(BlobKeys.requireValid(key));
    try {
      return Optional.of(s3.headObject(b -> b.bucket(config.bucket()).key(object)).contentLength());
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw failure("size", key, e);
    } catch (SdkException e) {
      throw failure("size", key, e);
    }
  }

  @Override
  public Optional<java.time.Instant> modified(String key) throws IOException {
    String object = config.objectName(BlobKeys.requireValid(key));
    try {
      return Optional.of(s3.headObject(b -> b.bucket(config.bucket()).key(object)).lastModified());
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw failure("modified", key, e);
    } catch (SdkException e) {
      throw failure("modified", key, e);
    }
  }

  @Override
  public InputStream open(String key) throws IOException {
    String object = config.objectName(BlobKeys.requireValid(key));
    try {
      return s3.getObject(b -> b.bucket(config.bucket()).key(object));
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        throw new BlobNotFoundException(key);
      }
      throw failure("open", key, e);
    } catch (SdkException e) {
      throw failure("open", key, e);
    }
  }

  @Override
  public InputStream openRange(String key, long offset, long length) throws IOException {
    String object = config.objectName(BlobKeys.requireValid(key));
    BlobKeys.requireValidRange(offset, length);
    if (length == 0) {
      // HTTP cannot express an empty byte range; answer from the object's size
      long size = size(key).orElseThrow(() -> new BlobNotFoundException(key));
      if (offset > size) {
        throw BlobKeys.rangePastEnd(key, offset, length, size);
      }
      return new ByteArrayInputStream(new byte[0]);
    }
    String range = "bytes=" + offset + "-" + (offset + length - 1);
    ResponseInputStream<GetObjectResponse> in;
    try {
      in = s3.getObject(b -> b.bucket(config.bucket()).key(object).range(range));
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        throw new BlobNotFoundException(key);
      }
      if (e.statusCode() == 416) {
        throw BlobKeys.rangePastEnd(key, offset, length, size(key).orElse(0L));
      }
      throw failure("read range of", key, e);
    } catch (SdkException e) {
      throw failure("read range of", key, e);
    }
    // S3 clips a range that runs past the end instead of refusing it; the file store refuses, and so do we
    Long returned = in.response().contentLength();
    if (returned == null || returned != length) {
      in.abort();
      in.close();
      long size = size(key).orElseThrow(() -> new BlobNotFoundException(key));
      throw BlobKeys.rangePastEnd(key, offset, length, size);
    }
    return in;
  }

  @Override
  public boolean delete(String key) throws IOException {
    String object = config.objectName(BlobKeys.requireValid(key));
    // DeleteObject succeeds whether or not the key existed, so ask first to report what happened
    if (size(key).isEmpty()) {
      return false;
    }
    try {
      s3.deleteObject(b -> b.bucket(config.bucket()).key(object));
      return true;
    } catch (SdkException e) {
      throw failure("delete", key, e);
    }
  }

  @Override
  public List<String> list(String prefix) throws IOException {
    BlobKeys.requireValidPrefix(prefix);
    String base = config.objectPrefix();
    List<String> keys = new ArrayList<>();
    try {
      for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(config.bucket()).prefix(base + prefix)).contents()) {
        String key = object.key().substring(base.length());
        // objects written by other tools may not be valid keys; they cannot be opened through this API either
        if (BlobKeys.isValid(key)) {
          keys.add(key);
        }
      }
    } catch (SdkException e) {
      throw failure("list", prefix + "*", e);
    }
    keys.sort(null);
    return keys;
  }

  @Override
  public void check() throws IOException {
    try {
      s3.headBucket(b -> b.bucket(config.bucket()));
    } catch (SdkException e) {
      throw new IOException("S3 bucket " + config.bucket() + " at " + config.endpoint() + " is not reachable: "
          + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    s3.close();
  }

  @Override
  public String toString() {
    return "S3BlobStore[" + config.endpoint() + "/" + config.bucket() + "/" + config.prefix() + "]";
  }

  private void ensureBucket() throws IOException {
    try {
      s3.headBucket(b -> b.bucket(config.bucket()));
      return;
    } catch (S3Exception e) {
      if (e.statusCode() != 404) {
        throw new IOException("cannot use S3 bucket " + config.bucket() + ": " + e.getMessage(), e);
      }
    } catch (SdkException e) {
      throw new IOException("S3 endpoint " + config.endpoint() + " is not reachable: " + e.getMessage(), e);
    }
    CreateBucketRequest.Builder create = CreateBucketRequest.builder().bucket(config.bucket());
    if (!config.region().equals(S3Config.DEFAULT_REGION)) {
      // AWS wants the region spelled out for every region except us-east-1
      create.createBucketConfiguration(CreateBucketConfiguration.builder().locationConstraint(config.region()).build());
    }
    try {
      s3.createBucket(create.build());
    } catch (BucketAlreadyOwnedByYouException e) {
      // another Wharf node created it first
    } catch (SdkException e) {
      throw new IOException("cannot create S3 bucket " + config.bucket() + ": " + e.getMessage(), e);
    }
  }

  private static S3Client client(S3Config config) {
    AwsCredentialsProvider credentials = config.accessKey() == null
        ? DefaultCredentialsProvider.builder().build()
        : StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKey(), config.secretKey()));
    S3ClientBuilder builder = S3Client.builder()
        .region(Region.of(config.region()))
        .credentialsProvider(credentials)
        .forcePathStyle(config.pathStyle())
        // many S3-compatible servers reject the SDK's default trailing CRC checksums; SigV4 still signs the payload
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(10))
            .socketTimeout(Duration.ofSeconds(60)));
    if (config.endpoint() != null) {
      builder.endpointOverride(config.endpoint());
    }
    return builder.build();
  }

  private IOException failure(String operation, String key, SdkException e) {
    return new IOException("cannot " + operation + " blob " + key + " in S3 bucket " + config.bucket() + ": "
        + e.getMessage(), e);
  }
}
