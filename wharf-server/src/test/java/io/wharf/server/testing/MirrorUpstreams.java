package io.wharf.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Upstream channels for mirror tests, made of real fixture packages: a Wharf channel holding them, and a
 * plain directory laid out as conda-index writes one (repodata.json per subdir beside the files, no zstd,
 * no channeldata.json) whose repodata that Wharf wrote, so records and files agree.
 */
public final class MirrorUpstreams {
  /** Files of linux-64 and of noarch. */
  public static final List<String> PACKAGES = List.of("zlib-1.2.11-h7b6447c_3.conda",
      "zlib-1.2.11-h7b6447c_3.tar.bz2", "other-package-0.2-0.conda", "run_exports_versions-1.0-he35c369_0.tar.bz2",
      "conda-index-pkg-a-1.0-pyhed9eced_1.tar.bz2");
  public static final List<String> SUBDIRS = List.of("linux-64", "noarch");

  private MirrorUpstreams() {}

  /** A Wharf on {@code data} with a public channel {@code channel} holding every one of {@link #PACKAGES}. */
  public static TestServer wharf(Path data, String channel) {
    TestServer server = TestServer.start(data);
    assertThat(server.createChannel(channel, "public").statusCode()).isEqualTo(201);
    for (String p : PACKAGES) {
      assertThat(server.upload(channel, Fixtures.realPackage(p)).statusCode()).as(p).isEqualTo(201);
    }
    return server;
  }

  /**
   * Writes {@link #PACKAGES} into each of {@code roots} as a static channel directory; a Wharf on
   * {@code scratch} writes the repodata meanwhile.
   */
  public static void directory(Path scratch, Path... roots) throws IOException {
    try (TestServer source = wharf(scratch, "src")) {
      for (Path root : roots) {
        for (String subdir : SUBDIRS) {
          Files.createDirectories(root.resolve(subdir));
          Files.write(root.resolve(subdir).resolve("repodata.json"),
              source.get("/conda/src/" + subdir + "/repodata.json").body());
          JsonNode rd = source.getJson("/conda/src/" + subdir + "/repodata.json");
          for (String key : List.of("packages", "packages.conda")) {
            rd.path(key).fieldNames().forEachRemaining(f -> copy(f, root.resolve(subdir).resolve(f)));
          }
        }
      }
    }
  }

  private static void copy(String filename, Path target) {
    try {
      Files.copy(Fixtures.realPackage(filename), target);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
