package io.wharf.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import io.wharf.server.testing.PythonClients;
import io.wharf.server.testing.RecordPackages;
import io.wharf.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
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
    Set<String> names = new TreeSet<>(List.of("python", "numpy", "openssl", "zlib", "sqlite", "tk", "xz",
        "readline", "ncurses", "libffi", "pip", "setuptools", "wheel", "certifi", "six", "requests", "idna",
        "urllib3", "chardet", "pyyaml", "yaml", "cffi", "pycparser", "cryptography", "libgcc-ng", "libstdcxx-ng",
        "mkl", "intel-openmp", "blas", "scipy", "pandas", "pytz", "python-dateutil", "bzip2", "libedit",
        "ca-certificates", "jinja2", "markupsafe", "click", "pyopenssl", "pysocks", "asn1crypto", "ipython",
        "decorator", "pexpect", "ptyprocess", "pickleshare", "traitlets", "wcwidth", "prompt_toolkit", "pygments",
        "simplegeneric", "jedi", "parso", "backcall", "ipython_genutils", "freetype", "libpng", "jpeg",
        "matplotlib", "cycler", "kiwisolver", "pyparsing", "tornado", "pyqt", "qt", "sip", "dbus", "expat",
        "fontconfig", "glib", "gstreamer", "gst-plugins-base", "icu", "libxcb", "libxml2", "pcre", "zeromq"));
    for (Path p : RecordPackages.fromIndex4(Files.createDirectories(dir.resolve("pkgs")), names)) {
      assertThat(server.upload("many", p).statusCode()).isEqualTo(201);
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
    assertThat(frames(zst)).as("the test needs a multi-frame file to mean anything").isGreaterThan(3);

    String out = PythonClients.run(SCRIPT, dir, server.url() + "/conda/many/").trim();
    String[] counts = out.split(" ");
    assertThat(Integer.parseInt(counts[0])).isGreaterThan(100);
    assertThat(Integer.parseInt(counts[1])).isGreaterThan(20);
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
