package io.wharf.server.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class UpstreamCredentialsTest {
  @Test
  void aTokenInTheUrlIsTakenOutAndPutBackOnlyWhenARequestIsMade() {
    UpstreamCredentials.Split split = UpstreamCredentials.NONE.split("https://up.example/t/abc-123/conda/main");
    assertThat(split.url()).isEqualTo("https://up.example/t/{token}/conda/main");
    assertThat(split.credentials().condaToken()).isEqualTo("abc-123");
    assertThat(split.credentials().resolve(split.url() + "/noarch/repodata.json"))
        .isEqualTo("https://up.example/t/abc-123/conda/main/noarch/repodata.json");
    assertThat(split.credentials().toString()).doesNotContain("abc-123");
    assertThat(UpstreamCredentials.fromJson(split.credentials().toJson())).isEqualTo(split.credentials());
  }

  @Test
  void basicAndBearerGoOnlyToTheUpstreamsOwnOrigin() {
    UpstreamCredentials basic = new UpstreamCredentials(null, null, "mirror", "s3cret");
    URI upstream = URI.create("https://up.example/conda/main/");
    HttpRequest same = request(basic, URI.create("https://up.example/conda/main/linux-64/x.conda"), upstream);
    assertThat(same.headers().firstValue("Authorization")).contains("Basic "
        + Base64.getEncoder().encodeToString("mirror:s3cret".getBytes(StandardCharsets.UTF_8)));
    HttpRequest elsewhere = request(basic, URI.create("https://cdn.example/x.conda"), upstream);
    assertThat(elsewhere.headers().firstValue("Authorization")).isEmpty();
    HttpRequest otherPort = request(new UpstreamCredentials(null, "tok", null, null),
        URI.create("https://up.example:8443/x.conda"), upstream);
    assertThat(otherPort.headers().firstValue("Authorization")).isEmpty();
    HttpRequest bearer = request(new UpstreamCredentials(null, "tok", null, null),
        URI.create("https://up.example:443/x.conda"), upstream);
    assertThat(bearer.headers().firstValue("Authorization")).contains("Bearer tok");
  }

  private static HttpRequest request(UpstreamCredentials c, URI target, URI upstream) {
    HttpRequest.Builder b = HttpRequest.newBuilder(target);
    c.authorize(b, target, upstream);
    return b.build();
  }
}
