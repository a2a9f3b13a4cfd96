package io.wharf.bench;

import io.wharf.conda.archive.PackageArchives;
import io.wharf.conda.archive.PackageInfo;
import io.wharf.conda.archive.ReadLimits;
import io.wharf.conda.metadata.IndexJson;
import io.wharf.conda.repodata.RepodataRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What an upload costs before anything is stored: reading the {@code info/} metadata out of a real
 * package file, and turning its index.json into the record JSON kept per package.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PackageParsingBenchmark {

  @Param({
    "zlib-1.2.11-h7b6447c_3.conda",
    "zlib-1.2.11-h7b6447c_3.tar.bz2",
    "xtensor-io-0.10.3-hb585cf6_0.tar.bz2",
    // small packages, the bulk of a channel by count
    "other-package-0.2-0.conda",
    "conda-index-pkg-a-1.0-py27h5e241af_0.tar.bz2"
  })
  public String file;

  private Path path;
  private final ReadLimits limits = ReadLimits.defaults();
  private byte[] indexJson;
  private String md5;
  private String sha256;
  private long size;

  @Setup
  public void setUp() throws Exception {
    path = Fixtures.file("real/packages/" + file);
    indexJson = PackageArchives.readInfo(path, file, limits).rawInfoFile("info/index.json")
        .orElseThrow(() -> new IllegalStateException(file + " has no info/index.json"));
    // The upload path hashes while spooling the body; here the checksums are inputs, not measured.
    byte[] bytes = Files.readAllBytes(path);
    md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    size = bytes.length;
  }

  @Benchmark
  public PackageInfo readInfo() throws Exception {
    return PackageArchives.readInfo(path, file, limits);
  }

  @Benchmark
  public String indexJsonToRecord() throws Exception {
    IndexJson index = IndexJson.parse(indexJson);
    return RepodataRecords.toJson(RepodataRecords.form(index.raw(), md5, sha256, size));
  }
}
