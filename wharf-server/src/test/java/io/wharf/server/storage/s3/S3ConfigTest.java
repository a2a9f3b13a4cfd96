package io.wharf.server.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class S3ConfigTest {

  @Test
  void parsesEveryPartOfAFullSpec() {
    S3Config config = S3Config.parse("s3://AKID:s3cr%2Ft%2Bkey@minio.local:9000/wharf-blobs/prod/eu?region=eu-west-1&scheme=http");

    assertThat(config.endpoint()).isEqualTo(URI.create("http://minio.local:9000"));
    assertThat(config.region()).isEqualTo("eu-west-1");
    assertThat(config.bucket()).isEqualTo("wharf-blobs");
    assertThat(config.prefix()).isEqualTo("prod/eu");
    assertThat(config.accessKey()).isEqualTo("AKID");
    assertThat(config.secretKey()).isEqualTo("s3cr/t+key");
    assertThat(config.pathStyle()).isTrue();
  }

  @Test
  void literalPlusInASecretStaysAPlus() {
    assertThat(S3Config.parse("s3://a:b+c@host/bucket").secretKey()).isEqualTo("b+c");
  }

  @Test
  void defaultsToHttpsUsEast1PathStyleAndNoPrefix() {
    S3Config config = S3Config.parse("s3://a:b@s3.example.org/bucket/");

    assertThat(config.endpoint()).isEqualTo(URI.create("https://s3.example.org"));
    assertThat(config.region()).isEqualTo("us-east-1");
    assertThat(config.prefix()).isEmpty();
    assertThat(config.pathStyle()).isTrue();
    assertThat(config.objectName("k/x")).isEqualTo("k/x");
  }

  @Test
  void withoutCredentialsTheDefaultChainIsUsed() {
    S3Config config = S3Config.parse("s3://s3.amazonaws.com/bucket?pathStyle=false");

    assertThat(config.accessKey()).isNull();
    assertThat(config.secretKey()).isNull();
    assertThat(config.pathStyle()).isFalse();
  }

  @Test
  void prefixIsPrependedToObjectNames() {
    S3Config config = S3Config.parse("s3://a:b@host/bucket/some/prefix/");

    assertThat(config.objectName("linux-64/x.conda")).isEqualTo("some/prefix/linux-64/x.conda");
    assertThat(config.objectPrefix()).isEqualTo("some/prefix/");
  }

  @Test
  void toStringHidesTheSecret() {
    S3Config config = S3Config.parse("s3://AKID:topsecret@host/bucket");

    assertThat(config.toString()).contains("AKID").doesNotContain("topsecret");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "http://host/bucket", "s3:///bucket", "s3://host", "s3://host/", "s3://a:b@host/Bad_Bucket",
      "s3://a:b@host/bucket/../up", "s3://a:b@host/bucket?scheme=ftp", "s3://a:b@host/bucket?colour=blue",
      "s3://onlyaccess@host/bucket", "s3://a:b@host/bucket?pathStyle=maybe", "s3://a:b c@host/bucket"})
  void rejectsMalformedSpecs(String spec) {
    assertThatThrownBy(() -> S3Config.parse(spec)).isInstanceOf(IllegalArgumentException.class);
  }
}
