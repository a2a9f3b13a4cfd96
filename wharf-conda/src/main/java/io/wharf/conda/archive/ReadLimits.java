package io.wharf.conda.archive;

import java.time.Duration;

/**
 * Upper bounds for reading one package; every archive read is cut off at these, whatever the headers claim.
 * Decompression is what makes a small upload expensive, so it is bounded three ways: relative to the
 * compressed bytes, in absolute terms, and by the CPU time the whole read may take.
 *
 * @param maxInfoFileBytes largest single {@code info/} file that is read into memory
 * @param maxTotalInfoBytes all retained {@code info/} files together
 * @param maxEntries entries in one package, counted over the ZIP of a .conda and every tar read
 * @param maxDecompressedBytes decompressed bytes one package may produce, whatever its size
 * @param maxExpansionRatio decompressed bytes allowed per compressed byte of the stream being read (the whole
 *     .tar.bz2, or the info component of a .conda); real packages stay far below it, bombs far above
 * @param minDecompressedAllowance decompressed bytes any stream may produce before the ratio applies, so that
 *     small, highly compressible packages are not refused
 * @param maxScanPastIndex decompressed bytes read after {@code info/index.json} while looking for the other
 *     wanted {@code info/} files; conda-build and cph write {@code info/} first, so a scan that has not found
 *     them by then stops instead of decompressing the whole payload
 * @param maxCpuTime CPU time (of the reading thread) one read may take
 */
public record ReadLimits(
    long maxInfoFileBytes,
    long maxTotalInfoBytes,
    int maxEntries,
    long maxDecompressedBytes,
    long maxExpansionRatio,
    long minDecompressedAllowance,
    long maxScanPastIndex,
    Duration maxCpuTime) {

  private static final long MIB = 1024L * 1024;

  public ReadLimits {
    if (maxInfoFileBytes <= 0 || maxTotalInfoBytes <= 0 || maxEntries <= 0 || maxDecompressedBytes <= 0
        || maxExpansionRatio <= 0 || minDecompressedAllowance <= 0 || maxScanPastIndex <= 0) {
      throw new IllegalArgumentException("read limits must be positive");
    }
    if (maxCpuTime == null || maxCpuTime.isNegative() || maxCpuTime.isZero()) {
      throw new IllegalArgumentException("maxCpuTime must be positive");
    }
    if (maxInfoFileBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("maxInfoFileBytes must fit in a byte array");
    }
  }

  /** The four size limits with the defaults for everything else. */
  public ReadLimits(long maxInfoFileBytes, long maxTotalInfoBytes, int maxEntries, long maxDecompressedBytes) {
    this(maxInfoFileBytes, maxTotalInfoBytes, maxEntries, maxDecompressedBytes, defaults().maxExpansionRatio,
        defaults().minDecompressedAllowance, defaults().maxScanPastIndex, defaults().maxCpuTime);
  }

  /**
   * Generous for real packages (bzip2 and zstd rarely reach 20:1 on package payloads) and a few seconds of
   * CPU at most for anything else.
   */
  public static ReadLimits defaults() {
    return new ReadLimits(16 * MIB, 64 * MIB, 200_000, 4096 * MIB, 250, 256 * MIB, 16 * MIB,
        Duration.ofSeconds(5));
  }

  /** Decompressed bytes a stream of {@code compressedBytes} may produce under these limits. */
  public long decompressedAllowance(long compressedBytes) {
    long relative = compressedBytes > Long.MAX_VALUE / maxExpansionRatio
        ? Long.MAX_VALUE : compressedBytes * maxExpansionRatio;
    return Math.min(maxDecompressedBytes, Math.max(minDecompressedAllowance, relative));
  }

  /** The refusal when {@code what}, {@code compressedBytes} long, decompresses beyond its allowance. */
  String overAllowance(String what, long compressedBytes) {
    return what + " (" + size(compressedBytes) + ") decompresses to more than "
        + size(decompressedAllowance(compressedBytes)) + ", the limit for its size (" + maxExpansionRatio
        + " times the compressed size, at least " + size(minDecompressedAllowance) + ", at most "
        + size(maxDecompressedBytes) + "); it is refused as a decompression bomb";
  }

  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " bytes";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return (value == Math.rint(value) ? String.valueOf((long) value) : String.format(java.util.Locale.ROOT, "%.1f", value))
        + " " + units[unit];
  }

  public ReadLimits withMaxEntries(int entries) {
    return new ReadLimits(maxInfoFileBytes, maxTotalInfoBytes, entries, maxDecompressedBytes, maxExpansionRatio,
        minDecompressedAllowance, maxScanPastIndex, maxCpuTime);
  }

  public ReadLimits withDecompression(long maxBytes, long ratio, long allowance) {
    return new ReadLimits(maxInfoFileBytes, maxTotalInfoBytes, maxEntries, maxBytes, ratio, allowance,
        maxScanPastIndex, maxCpuTime);
  }

  public ReadLimits withMaxScanPastIndex(long bytes) {
    return new ReadLimits(maxInfoFileBytes, maxTotalInfoBytes, maxEntries, maxDecompressedBytes, maxExpansionRatio,
        minDecompressedAllowance, bytes, maxCpuTime);
  }

  public ReadLimits withMaxCpuTime(Duration time) {
    return new ReadLimits(maxInfoFileBytes, maxTotalInfoBytes, maxEntries, maxDecompressedBytes, maxExpansionRatio,
        minDecompressedAllowance, maxScanPastIndex, time);
  }
}
