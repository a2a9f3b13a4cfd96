package io.wharf.server.pkg;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.TestServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UploadApiTest {
  @TempDir static Path data;
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(data);
    assertThat(server.createChannel("real", "public").statusCode()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void everyRealFixturePackageUploadsAndIsServedInItsSubdir() throws IOException {
    List<Path> packages;
    try (Stream<Path> s = Files.list(Fixtures.root().resolve("real/packages"))) {
      packages = s.sorted().toList();
    }
    assertThat(packages).hasSize(10);
    for (Path p : packages) {
      HttpResponse<byte[]> res = server.upload("real", p);
      assertThat(res.statusCode()).as(p.getFileName() + ": " + new String(res.body())).isEqualTo(201);
      JsonNode file = TestServer.json(res);
      String key = p.toString().endsWith(".conda") ? "packages.conda" : "packages";
      JsonNode repodata = server.getJson("/conda/real/" + file.get("subdir").asText() + "/repodata.json");
      assertThat(repodata.get(key).has(p.getFileName().toString())).as(p.getFileName().toString()).isTrue();
      assertThat(file.get("size").asLong()).isEqualTo(Files.size(p));
    }
  }

  @Test
  void servedRecordsEqualTheRealRepodataOfTheSamePackages() throws IOException {
    TestServer.json(server.upload("real", Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.conda")));
    TestServer.json(server.upload("real", Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.tar.bz2")));
    JsonNode expected = new ObjectMapper().readTree(
        Fixtures.root().resolve("real/conda-format-repo/linux-64/repodata.json").toFile());
    JsonNode served = server.getJson("/conda/real/linux-64/repodata.json");
    assertThat(served.get("packages.conda").get("zlib-1.2.11-h7b6447c_3.conda"))
        .isEqualTo(expected.get("packages.conda").get("zlib-1.2.11-h7b6447c_3.conda"));
    assertThat(served.get("packages").get("zlib-1.2.11-h7b6447c_3.tar.bz2"))
        .isEqualTo(expected.get("packages").get("zlib-1.2.11-h7b6447c_3.tar.bz2"));
    assertThat(served.get("packages.conda").get("zlib-1.2.11-h7b6447c_3.conda").get("md5").asText())
        .isEqualTo("cb23839f06da92ec92c6d2d2d5e0cb4a");
    assertThat(served.get("packages").get("zlib-1.2.11-h7b6447c_3.tar.bz2").get("md5").asText())
        .isEqualTo("2e5b81671cc2b53177b94b258b1658b2");
  }

  @Test
  void uploadingAnExistingFileIsAConflictUnlessReplaceIsAsked() {
    server.createChannel("dup", "public");
    Path zlib = Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.conda");
    assertThat(server.upload("dup", zlib).statusCode()).isEqualTo(201);
    HttpResponse<byte[]> again = server.upload("dup", zlib);
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(TestServer.json(again).get("error").asText()).isEqualTo("file_exists");
    long blobs = server.blobCount();
    HttpResponse<byte[]> replaced = server.upload("dup", zlib.getFileName().toString(), zlib, "replace=true");
    assertThat(replaced.statusCode()).isEqualTo(201);
    assertThat(server.blobCount()).as("the replaced blob is removed").isEqualTo(blobs);
  }

  @Test
  void uploadWithoutTokenIsRefused() {
    HttpResponse<byte[]> res = server.send(server.request("/api/channels/real/files/x-1-0.conda")
        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("x")));
    assertThat(res.statusCode()).isEqualTo(401);
    assertThat(TestServer.json(res).get("error").asText()).isEqualTo("unauthorized");
  }

  @Test
  void labelsPublishSeparateSubchannels() {
    server.createChannel("labelled", "public");
    Path pkg = Fixtures.realPackage("other-package-0.2-0.conda");
    assertThat(server.upload("labelled", pkg.getFileName().toString(), pkg, "label=dev").statusCode())
        .isEqualTo(201);
    assertThat(server.getJson("/conda/labelled/label/dev/linux-64/repodata.json").get("packages.conda")
        .has("other-package-0.2-0.conda")).isTrue();
    assertThat(server.getJson("/conda/labelled/linux-64/repodata.json").get("packages.conda")
        .has("other-package-0.2-0.conda")).isFalse();

    var labels = server.getJson("/api/channels/labelled").get("labels");
    assertThat(labels).hasSize(1);
    assertThat(labels.get(0).get("name").asText()).isEqualTo("dev");
    assertThat(labels.get(0).get("conda_url").asText()).isEqualTo("/conda/labelled/label/dev");
    assertThat(server.get(labels.get(0).get("conda_url").asText() + "/linux-64/repodata.json").statusCode())
        .isEqualTo(200);
  }

  @Test
  void fileListFiltersByFileNameAcrossLabelsAndBySubdirAndLabel() {
    server.createChannel("listing", "public");
    Path other = Fixtures.realPackage("other-package-0.2-0.conda");
    Path zlib = Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.conda");
    assertThat(server.upload("listing", other).statusCode()).isEqualTo(201);
    assertThat(server.upload("listing", other.getFileName().toString(), other, "label=dev").statusCode())
        .isEqualTo(201);
    assertThat(server.upload("listing", zlib).statusCode()).isEqualTo(201);

    assertThat(server.getJson("/api/channels/listing/files")).hasSize(3);
    var named = server.getJson("/api/channels/listing/files?filename=other-package-0.2-0.conda");
    assertThat(named).hasSize(2);
    assertThat(named.findValuesAsText("label")).containsExactlyInAnyOrder("main", "dev");
    assertThat(server.getJson("/api/channels/listing/files?filename=other-package-0.2-0.conda&label=dev"))
        .hasSize(1);
    assertThat(server.getJson("/api/channels/listing/files?subdir=linux-64&label=main")
        .findValuesAsText("filename")).containsExactlyInAnyOrder("other-package-0.2-0.conda",
            "zlib-1.2.11-h7b6447c_3.conda");
    assertThat(server.getJson("/api/channels/listing/files?filename=missing-1.0-0.conda")).isEmpty();
    assertThat(server.getJson("/api/channels/listing/files?filename=not-a-package-name")).isEmpty();
  }
}
