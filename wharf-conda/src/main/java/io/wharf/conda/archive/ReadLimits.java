package io.wharf.conda.archive;

/**
 * Upper bounds for reading one package; every archive read is cut off at these, whatever the headers claim.
 *
 * @param maxInfoFileBytes largest single {@code info/} file that is read into memory
 * @param maxTotalInfoBytes all retained {@code info/} files together
 * @param maxEntries entries per container (the ZIP of a .conda, and each tar)
 * @param maxDecompressedBytes decompressed bytes scanned in one tar stream (the whole .tar.bz2 in the worst
 *     case, since its {@code info/} members may come last)
 */
public record ReadLimits(
    long maxInfoFileBytes, long maxTotalInfoBytes, int maxEntries, long maxDecompressedBytes) {

  private static final long MIB = 1024L * 1024;

  public ReadLimits {
    if (maxInfoFileBytes <= 0 || maxTotalInfoBytes <= 0 || maxEntries <= 0 || maxDecompressedBytes <= 0) {
      throw new IllegalArgumentException("read limits must be positive");
    }
    if (maxInfoFileBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("maxInfoFileBytes must fit in a byte array");
    }
  }

  public static ReadLimits defaults() {
    return new ReadLimits(16 * MIB, 64 * MIB, 200_000, 64L * 1024 * MIB);
  }
}
