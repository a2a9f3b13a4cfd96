package io.wharf.conda.archive;

import static io.wharf.conda.archive.PackageWriter.Entry.file;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.wharf.conda.archive.PackageWriter.Entry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * Decompression bombs and other uploads that are cheap to send and expensive to read: each read stops at a
 * limit, shown by what the read had spent when it stopped (never by measuring time). The deadlines only
 * keep a regression from hanging the build.
 */
class DecompressionBudgetTest extends GeneratedPackages {
  private static final long MIB = 1L << 20;
  private static final long GIB = 1L << 30;
  private static final Duration HANG_GUARD = Duration.ofMinutes(3);

  @Test
  void aTarBz2ThatExpandsToSixtyEightGibibytesIsRefusedAtTheDefaultAllowance() throws Exception {
    Path bomb = dir.resolve("bomb-1.0-0.tar.bz2");
    PackageWriter.writeTarBz2WithZeros(bomb, List.of(), "lib/zeros.bin", 68 * GIB, validInfo());
    assertThat(Files.size(bomb)).isLessThan(1 << 20);
    ReadBudget budget = budget(ReadLimits.defaults());

    InvalidPackageException e = refuse(bomb, budget);

    assertThat(e.code()).isEqualTo("too_large");
    assertThat(e.getMessage())
        .startsWith("the package (")
        .contains("decompresses to more than 256 MiB, the limit for its size (250 times the compressed size,"
            + " at least 256 MiB, at most 4 GiB)")
        .contains("decompression bomb");
    assertThat(budget.decompressedBytes()).isBetween(256 * MIB, 256 * MIB + 64 * 1024);
  }

  @Test
  void aSmallTarBz2BombIsDecompressedOnceNotAgainAtItsOwnLevel() throws Exception {
    // small enough to be read first with a lowered level (see TarBz2Reader), in blocks that level holds
    Path bomb = dir.resolve("bomb-1.0-0.tar.bz2");
    PackageWriter.writeTarBz2WithZeros(bomb, List.of(), "lib/zeros.bin", GIB, validInfo());
    assertThat(Files.size(bomb)).isLessThan(900_000 / TarBz2Reader.EXPANSION_GUESS);
    ReadBudget budget = budget(ReadLimits.defaults());

    InvalidPackageException e = refuse(bomb, budget);

    assertThat(e.code()).isEqualTo("too_large");
    assertThat(budget.decompressedBytes()).isBetween(256 * MIB, 256 * MIB + 64 * 1024);
  }

  @Test
  void theAllowanceGrowsWithTheUploadUpToTheAbsoluteLimit() {
    ReadLimits limits = ReadLimits.defaults();

    assertThat(limits.decompressedAllowance(1024)).isEqualTo(256 * MIB);
    assertThat(limits.decompressedAllowance(2 * MIB)).isEqualTo(500 * MIB);
    assertThat(limits.decompressedAllowance(1 * GIB)).isEqualTo(4 * GIB);
    assertThat(limits.decompressedAllowance(Long.MAX_VALUE)).isEqualTo(4 * GIB);
  }

  @Test
  void aTarBz2IsRefusedAtTheRatioOfItsOwnSize() throws Exception {
    List<Entry> before = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      before.add(file("share/noise/" + i, randomText(i)));
    }
    Path bomb = dir.resolve("bomb-1.0-0.tar.bz2");
    PackageWriter.writeTarBz2WithZeros(bomb, before, "lib/zeros.bin", 64 * MIB, validInfo());
    long size = Files.size(bomb);
    ReadLimits limits = ReadLimits.defaults().withDecompression(GIB, 20, 1);
    ReadBudget budget = budget(limits);

    InvalidPackageException e = refuse(bomb, budget);

    assertThat(e.code()).isEqualTo("too_large");
    assertThat(e.getMessage()).contains("20 times the compressed size");
    assertThat(budget.decompressedBytes()).isBetween(20 * size, 20 * size + 64 * 1024);
  }

  @Test
  void aCondaWhoseInfoComponentIsABombIsRefused() throws Exception {
    Path bomb = dir.resolve("demo-1.0-h0_0.conda");
    PackageWriter.writeCondaWithZeros(bomb, "demo-1.0-h0_0", List.of(), "info/zeros.bin", 16 * GIB, validInfo());
    ReadLimits limits = ReadLimits.defaults().withDecompression(4 * GIB, 10, 32 * MIB);
    ReadBudget budget = budget(limits);

    InvalidPackageException e = refuse(bomb, budget);

    assertThat(e.code()).isEqualTo("too_large");
    assertThat(e.getMessage()).startsWith("info-demo-1.0-h0_0.tar.zst (").contains("at least 32 MiB");
    assertThat(budget.decompressedBytes()).isBetween(32 * MIB, 33 * MIB);
  }

  @Test
  void theAbsoluteLimitHoldsWhateverTheRatioAllows() throws Exception {
    Path bomb = dir.resolve("bomb-1.0-0.tar.bz2");
    PackageWriter.writeTarBz2WithZeros(bomb, List.of(), "lib/zeros.bin", GIB, validInfo());
    ReadBudget budget = budget(ReadLimits.defaults().withDecompression(8 * MIB, 1_000_000, 1 << 30));

    InvalidPackageException e = refuse(bomb, budget);

    assertThat(e.code()).isEqualTo("too_large");
    assertThat(e.getMessage()).isEqualTo("the package decompresses to more than 8 MiB, the limit for any upload");
    assertThat(budget.decompressedBytes()).isBetween(8 * MIB, 8 * MIB + 64 * 1024);
  }

  /** A small package that expands hugely after its metadata is read up to a bound past index.json only. */
  @Test
  void aTarBz2WithInfoFirstIsReadOnlyABoundedWayPastIndexJson() throws Exception {
    Path file = dir.resolve("demo-1.0-h0_0.tar.bz2");
    List<Entry> after = List.of(file("info/about.json", "{\"summary\": \"too late to be read\"}"));
    PackageWriter.writeTarBz2WithZeros(file, validInfo(), "lib/zeros.bin", 4 * GIB, after);
    assertThat(Files.size(file)).isLessThan(64 * 1024);
    ReadBudget budget = budget(ReadLimits.defaults());

    PackageInfo info = assertTimeoutPreemptively(HANG_GUARD,
        () -> PackageArchives.readInfo(file, "demo-1.0-h0_0.tar.bz2", budget));

    assertThat(info.index().name()).isEqualTo("demo");
    assertThat(info.paths()).isPresent();
    assertThat(info.about()).isEmpty();
    assertThat(budget.decompressedBytes()).isBetween(16 * MIB, 17 * MIB);
  }

  @Test
  void infoFilesWithinTheBoundPastIndexJsonAreStillRead() throws Exception {
    Path file = dir.resolve("demo-1.0-h0_0.tar.bz2");
    List<Entry> after = List.of(file("info/about.json", "{\"summary\": \"after the payload\"}"));
    PackageWriter.writeTarBz2WithZeros(file, validInfo(), "lib/zeros.bin", 8 * MIB, after);

    PackageInfo info = read(file, ReadLimits.defaults().withMaxScanPastIndex(16 * MIB));

    assertThat(info.about()).hasValueSatisfying(a -> assertThat(a.summary()).hasValue("after the payload"));
  }

  @Test
  void readingStopsOnceItsCpuTimeIsSpent() throws Exception {
    Path bomb = dir.resolve("bomb-1.0-0.tar.bz2");
    PackageWriter.writeTarBz2WithZeros(bomb, List.of(), "lib/zeros.bin", 64 * GIB, validInfo());
    // A clock that says one more second has passed at every checkpoint.
    AtomicInteger checks = new AtomicInteger();
    LongSupplier clock = () -> checks.getAndIncrement() * 1_000_000_000L;
    ReadBudget budget = new ReadBudget(ReadLimits.defaults().withMaxCpuTime(Duration.ofSeconds(5)), () -> false,
        clock);

    InvalidPackageException e = refuse(bomb, budget);

    assertThat(e.code()).isEqualTo("too_costly");
    assertThat(e.getMessage()).startsWith("reading the package took more than 5 s of CPU time, the limit for one"
        + " upload");
    // the clock is read once at the start and once at each checkpoint: six checkpoints, at most 1 MiB apart
    assertThat(checks.get()).isEqualTo(7);
    assertThat(budget.decompressedBytes() + budget.compressedBytesRead()).isLessThanOrEqualTo(6 * MIB + 64 * 1024);
  }

  @Test
  void readingStopsWhenTheCallerCancelsIt() throws Exception {
    Path bomb = dir.resolve("bomb-1.0-0.tar.bz2");
    PackageWriter.writeTarBz2WithZeros(bomb, List.of(), "lib/zeros.bin", 64 * GIB, validInfo());
    AtomicInteger polls = new AtomicInteger();
    BooleanSupplier goneAfterThreePolls = () -> polls.incrementAndGet() > 3;
    ReadBudget budget = ReadBudget.of(ReadLimits.defaults().withMaxCpuTime(Duration.ofHours(1)), goneAfterThreePolls);

    InvalidPackageException e = refuse(bomb, budget);

    assertThat(e.code()).isEqualTo("cancelled");
    assertThat(e.getMessage()).isEqualTo("reading the package was cancelled");
    assertThat(polls.get()).isEqualTo(4);
    assertThat(budget.decompressedBytes()).isLessThanOrEqualTo(4 * MIB);
  }

  @Test
  void theCancellationHookIsPublic() throws Exception {
    Path file = tarBz2(validInfo());

    InvalidPackageException e = catchThrowableOfType(InvalidPackageException.class,
        () -> PackageArchives.readInfo(file, "demo-1.0-h0_0.tar.bz2", ReadLimits.defaults(), () -> true));

    assertThat(e.code()).isEqualTo("cancelled");
    assertThat(PackageArchives.readInfo(file, "demo-1.0-h0_0.tar.bz2", ReadLimits.defaults(), () -> false)
        .index().name()).isEqualTo("demo");
  }

  @Test
  void entriesAreCountedOverTheZipAndTheInfoTarTogether() throws Exception {
    List<Entry> entries = validInfo();
    for (int i = 0; i < 6; i++) {
      entries.add(file("info/test/file" + i, "x"));
    }
    Path file = conda(entries);
    // 3 ZIP members + 8 tar members = 11
    assertThat(read(file, ReadLimits.defaults().withMaxEntries(11)).index().name()).isEqualTo("demo");

    InvalidPackageException e = reject(file, ReadLimits.defaults().withMaxEntries(10));

    assertThat(e.code()).isEqualTo("too_large");
    assertThat(e.getMessage()).isEqualTo("info-demo-1.0-h0_0.tar.zst has more than 10 entries, the limit for one"
        + " upload");
  }

  @Test
  void aZipDirectoryOfTensOfThousandsOfMembersIsRefusedBeforeItIsParsed() throws Exception {
    int extra = 30_000;
    String[] names = new String[3 + extra];
    byte[][] contents = new byte[names.length][];
    names[0] = "metadata.json";
    contents[0] = "{\"conda_pkg_format_version\": 2}".getBytes();
    names[1] = "pkg-demo-1.0-h0_0.tar.zst";
    contents[1] = PackageWriter.zstd(PackageWriter.tar(List.of()));
    names[2] = "info-demo-1.0-h0_0.tar.zst";
    contents[2] = PackageWriter.zstd(PackageWriter.tar(validInfo()));
    for (int i = 0; i < extra; i++) {
      names[3 + i] = "n" + i;
      contents[3 + i] = new byte[0];
    }
    Path file = dir.resolve("demo-1.0-h0_0.conda");
    PackageWriter.writeZip(file, names, contents);
    ReadBudget budget = budget(ReadLimits.defaults());

    InvalidPackageException e = refuse(file, budget);

    assertThat(e.code()).isEqualTo("too_large");
    assertThat(e.getMessage()).isEqualTo("the ZIP directory is larger than 1048576 bytes; a .conda holds three"
        + " members");
    assertThat(budget.entries()).isZero();
  }

  /** The CPU limit is lifted so that a busy build machine cannot change which limit a test reaches. */
  private static ReadBudget budget(ReadLimits limits) {
    return ReadBudget.of(limits.withMaxCpuTime(Duration.ofHours(1)), () -> false);
  }

  private static InvalidPackageException refuse(Path file, ReadBudget budget) {
    String filename = file.getFileName().toString();
    InvalidPackageException e = assertTimeoutPreemptively(HANG_GUARD, () -> catchThrowableOfType(
        InvalidPackageException.class, () -> PackageArchives.readInfo(file, filename, budget)));
    assertThat(e).as("expected %s to be refused", filename).isNotNull();
    return e;
  }

  private static String randomText(int seed) {
    java.util.Random random = new java.util.Random(seed);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      text.append((char) ('a' + random.nextInt(26)));
    }
    return text.toString();
  }
}
