package io.wharf.server.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.conda.archive.PackageWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Channels for catalog tests (search, package tabs, licenses), filled through the ordinary upload path:
 * <ul>
 *   <li>{@code real}: every real fixture package, plus three small packages that depend on zlib
 *       ({@code needs-new-zlib} linux-64 {@code zlib >=1.3}, {@code noarch-zlib-user} noarch {@code zlib 1.2.*},
 *       {@code sys-tool} linux-64 {@code __glibc >=2.17}, {@code zlib}, {@code not-anywhere 1.*}), all MIT;</li>
 *   <li>{@code mirror}: the real zlib .conda again, so zlib is in two channels;</li>
 *   <li>{@code big}: real Anaconda records of openssl and xz;</li>
 *   <li>{@code bulk}: {@code bulkCount} packages {@code bulk-pkg-NN} (BSD) for pagination;</li>
 *   <li>{@code hidden} (private): {@code secret-zlib-fork}, which depends on zlib.</li>
 * </ul>
 */
public final class CatalogChannels {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CatalogChannels() {}

  public static void fill(TestServer server, Path work, int bulkCount) {
    try {
      create(server, "real", "public");
      create(server, "mirror", "public");
      create(server, "big", "public");
      create(server, "bulk", "public");
      create(server, "hidden", "private");
      try (Stream<Path> s = Files.list(Fixtures.root().resolve("real/packages"))) {
        for (Path p : s.sorted().toList()) {
          check(server.upload("real", p), p);
        }
      }
      Path zlib = Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.conda");
      check(server.upload("mirror", zlib), zlib);
      for (Path p : RecordPackages.fromIndex4(work, Set.of("openssl", "xz"))) {
        check(server.upload("big", p), p);
      }
      upload(server, work, "real", "needs-new-zlib", "linux-64", List.of("zlib >=1.3"), "MIT",
          "needs a zlib newer than any here");
      upload(server, work, "real", "sys-tool", "linux-64", List.of("__glibc >=2.17", "zlib", "not-anywhere 1.*"),
          "MIT", "a tool with a system requirement");
      upload(server, work, "real", "noarch-zlib-user", "noarch", List.of("zlib 1.2.*"), "MIT",
          "pure python user of zlib");
      upload(server, work, "hidden", "secret-zlib-fork", "linux-64", List.of("zlib"), "MIT", "private fork");
      for (int i = 1; i <= bulkCount; i++) {
        upload(server, work, "bulk", String.format("bulk-pkg-%02d", i), "linux-64", List.of(), "BSD-3-Clause",
            "bulk package number " + i);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void create(TestServer server, String name, String privacy) {
    HttpResponse<byte[]> res = server.createChannel(name, privacy);
    if (res.statusCode() != 201) {
      throw new IllegalStateException("creating " + name + ": " + new String(res.body(), StandardCharsets.UTF_8));
    }
  }

  private static void upload(TestServer server, Path work, String channel, String name, String subdir,
      List<String> depends, String license, String summary) throws IOException {
    ObjectNode index = JSON.createObjectNode().put("name", name).put("version", "1.0").put("build", "0")
        .put("build_number", 0).put("license", license).put("subdir", subdir);
    ArrayNode deps = index.putArray("depends");
    depends.forEach(deps::add);
    if (subdir.equals("noarch")) {
      index.put("noarch", "generic");
    }
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("info/index.json", JSON.writeValueAsBytes(index));
    files.put("info/about.json", JSON.writeValueAsBytes(JSON.createObjectNode().put("summary", summary)));
    Path dir = Files.createDirectories(work.resolve(channel));
    Path p = dir.resolve(name + "-1.0-0.tar.bz2");
    PackageWriter.writeTarBz2(p, files);
    check(server.upload(channel, p), p);
  }

  private static void check(HttpResponse<byte[]> res, Path p) {
    if (res.statusCode() != 201) {
      throw new IllegalStateException("uploading " + p.getFileName() + ": HTTP " + res.statusCode() + " "
          + new String(res.body(), StandardCharsets.UTF_8));
    }
  }
}
