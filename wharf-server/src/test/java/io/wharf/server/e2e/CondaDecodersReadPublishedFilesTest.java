package io.wharf.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import io.wharf.server.testing.PythonClients;
import io.wharf.conda.archive.PackageWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import io.wharf.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Published files are concatenations of one zstd frame (or gzip member) per segment of package names.
 * The decoders conda uses must read them whole: python-zstandard through a stream writer (conda's
 * repodata fetch) and requests/urllib3 for gzip transfer encoding.
 */
class CondaDecodersReadPublishedFilesTest {
  @TempDir static Path dir;
  static TestServer server;

  private static final String SCRIPT = """
      import io, json, sys, urllib.request
      import requests, zstandard
      base = sys.argv[1]
      checked = 0
      for path in ["linux-64/repodata.json", "linux-64/current_repodata.json"]:
          raw = urllib.request.urlopen(base + path + ".zst").read()
          out = io.BytesIO()
          writer = zstandard.ZstdDecompressor().stream_writer(out)
          for i in range(0, len(raw), 8192):
              writer.write(raw[i:i + 8192])
          from_zst = json.loads(out.getvalue())
          r = requests.get(base + path, headers={"Accept-Encoding": "gzip"})
          assert r.headers.get("Content-Encoding") == "gzip", r.headers
          from_gzip = r.json()
          plain = json.loads(urllib.request.urlopen(base + path).read())
          assert from_zst == plain, path + ": zstd stream differs"
          assert from_gzip == plain, path + ": gzip members differ"
          checked += len(plain["packages"]) + len(plain["packages.conda"])
      r = requests.get(base + "channeldata.json", headers={"Accept-Encoding": "gzip"})
      assert r.headers.get("Content-Encoding") == "gzip"
      print(checked, len(r.json()["packages"]))
      """;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(dir.resolve("data"));
    assertThat(server.createChannel("many", "public").statusCode()).isEqualTo(201);
    // 160 names, so the documents span several segments (about 8 names each), with real-shaped
    // depends so current_repodata has content; and one name with many versions
    Path pkgs = Files.createDirectories(dir.resolve("pkgs"));
    for (int n = 0; n < 160; n++) {
      String name = String.format(java.util.Locale.ROOT, "decoder-pkg-%03d", n);
      for (int v = 0; v < (n == 0 ? 12 : 1); v++) {
        String depends = n == 0 ? "[]" : "[\"decoder-pkg-000 >=1." + (n % 5) + "\", \"python >=3.8\"]";
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("info/index.json", ("{\"name\":\"" + name + "\",\"version\":\"1." + v + "\",\"build\":\"0\","
            + "\"build_number\":0,\"subdir\":\"linux-64\",\"depends\":" + depends + "}")
            .getBytes(StandardCharsets.UTF_8));
        files.put("info/paths.json", "{\"paths\":[],\"paths_version\":1}".getBytes(StandardCharsets.UTF_8));
        Path p = pkgs.resolve(name + "-1." + v + "-0.tar.bz2");
        PackageWriter.writeTarBz2(p, files);
        assertThat(server.upload("many", p).statusCode()).isEqualTo(201);
      }
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void pythonZstandardAndRequestsReadEveryPublishedForm() throws Exception {
    PythonClients.assumeAvailable();
    byte[] zst = server.get("/conda/many/linux-64/repodata.json.zst").body();
    // head, then segments with comma frames between them, then the rest: more than 7 frames means the
    // packages part alone spans several segments
    assertThat(frames(zst)).as("the test needs several segments to mean anything").isGreaterThan(7);

    String out = PythonClients.run(SCRIPT, dir, server.url() + "/conda/many/").trim();
    String[] counts = out.split(" ");
    assertThat(Integer.parseInt(counts[0])).as("records read in repodata and current_repodata")
        .isGreaterThan(2 * 160);
    assertThat(Integer.parseInt(counts[1])).as("names in channeldata").isEqualTo(160);
  }

  private static int frames(byte[] data) {
    int n = 0;
    int at = 0;
    while (at < data.length) {
      long size = Zstd.findFrameCompressedSize(data, at);
      at += (int) size;
      n++;
    }
    return n;
  }
}
