package io.wharf.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.conda.repodata.Compression;
import io.wharf.conda.repodata.CurrentRepodata;
import io.wharf.conda.version.VersionOrder;
import io.wharf.conda.repodata.RepodataBuilder;
import io.wharf.conda.repodata.Shards;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
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
 * The work of republishing one subdir after a change: repodata.json by concatenating stored record JSON,
 * its .zst, current_repodata.json and the CEP 16 shards. The two Jackson benchmarks are baselines for
 * the same repodata.json bytes: writing a tree already in memory, and parsing the stored records into a
 * tree first, which is what building repodata without pre-serialized records would cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RepodataSerializationBenchmark {

  @Param({"index4", "pytorch-linux-64"})
  public String dataset;

  private static final Instant CREATED_AT = Instant.parse("2025-01-01T00:00:00Z");

  private RepodataFixture records;
  private ObjectNode tree;
  private byte[] repodata;

  @Setup
  public void setUp() throws IOException {
    records = RepodataFixture.load(dataset);
    tree = records.tree();
    repodata = buildRepodata();
    // The baselines must produce the same document, or the comparison means nothing.
    JsonNode reread = RepodataFixture.MAPPER.readTree(repodata);
    if (!reread.equals(tree) || !RepodataFixture.MAPPER.readTree(jacksonTreeWrite()).equals(tree)) {
      throw new IllegalStateException("concatenated repodata.json differs from the Jackson tree");
    }
    System.out.printf("%n%s: %d records, %d names, repodata.json %d bytes%n", dataset, records.size(),
        names().size(), repodata.length);
  }

  @Benchmark
  public byte[] buildRepodata() {
    return RepodataBuilder.build(records.subdir, records.tarBz2, records.conda, List.of(), Optional.empty());
  }

  @Benchmark
  public byte[] jacksonTreeWrite() throws IOException {
    return RepodataFixture.MAPPER.writeValueAsBytes(tree);
  }

  @Benchmark
  public byte[] jacksonParseRecordsAndWrite() throws IOException {
    return RepodataFixture.MAPPER.writeValueAsBytes(records.tree());
  }

  @Benchmark
  public byte[] zstdRepodata() {
    return Compression.zstd(repodata, Compression.REPODATA_ZSTD_LEVEL);
  }

  /** conda-index's level, to show what the server's choice saves per publish. */
  @Benchmark
  public byte[] zstdRepodataCondaIndexLevel() {
    return Compression.zstd(repodata, Compression.CONDA_INDEX_ZSTD_LEVEL);
  }

  @Benchmark
  public byte[] buildCurrentRepodata() {
    return CurrentRepodata.build(records.subdir, records.tarBz2, records.conda, VersionOrder.COMPARATOR);
  }

  /** Every per-name shard (zstd level 19) plus the shard index, as one publish produces them. */
  @Benchmark
  public byte[] buildShards() {
    SortedMap<String, byte[]> hashes = new TreeMap<>();
    for (String name : names()) {
      byte[] shard = Shards.shard(
          records.tarBz2ByName.getOrDefault(name, new TreeMap<>()),
          records.condaByName.getOrDefault(name, new TreeMap<>()),
          List.of());
      hashes.put(name, Shards.sha256(shard));
    }
    return Shards.index(records.subdir, hashes, "", "./shards/", CREATED_AT);
  }

  private TreeSet<String> names() {
    TreeSet<String> names = new TreeSet<>(records.tarBz2ByName.keySet());
    names.addAll(records.condaByName.keySet());
    return names;
  }
}
