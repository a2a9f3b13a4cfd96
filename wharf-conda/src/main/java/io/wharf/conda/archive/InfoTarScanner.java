package io.wharf.conda.archive;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Reads the wanted {@code info/} members out of a tar stream and stops as soon as all of them were seen,
 * as conda-index does: member order is not guaranteed (CEP 35), so a .tar.bz2 may need a long scan. Once
 * {@code info/index.json} was read, the scan goes on for at most {@link ReadLimits#maxScanPastIndex()} more
 * decompressed bytes: conda-build and cph write {@code info/} first, and the optional files that a package
 * keeps behind its payload are not worth decompressing all of it. Other members are only skipped; links and
 * special files are never followed or read.
 */
final class InfoTarScanner {
  /** Header bytes (GNU long names, PAX records) commons-compress may buffer for one entry. */
  static final long HEADER_BUDGET = 1L << 20;

  private static final Set<String> WANTED =
      Set.of(
          "info/index.json",
          "info/about.json",
          "info/paths.json",
          "info/run_exports.json",
          "info/link.json");
  // Any one of these describes the recipe (conda-index reads the first it finds).
  private static final List<String> RECIPES =
      List.of("info/recipe/meta.yaml", "info/recipe/meta.yaml.rendered", "info/meta.yaml");

  private final ReadBudget budget;
  private final ReadLimits limits;
  private final Map<String, byte[]> found = new LinkedHashMap<>();
  private long retained;
  private long stopAt = Long.MAX_VALUE;
  private final byte[] scratch = new byte[8192];

  InfoTarScanner(ReadBudget budget) {
    this.budget = budget;
    this.limits = budget.limits();
  }

  Map<String, byte[]> found() {
    return found;
  }

  /**
   * @param allowance decompressed bytes this stream may produce
   * @param overAllowance the refusal once it is exceeded
   */
  void scan(InputStream decompressed, String container, long allowance, String overAllowance)
      throws IOException, InvalidPackageException {
    BudgetedInputStream counted = new BudgetedInputStream(decompressed, budget, allowance, overAllowance);
    TarArchiveInputStream tar = new TarArchiveInputStream(counted, "UTF-8");
    while (!complete()) {
      if (tar.getCurrentEntry() != null && !skipRest(tar, counted)) {
        return;
      }
      counted.openWindow(HEADER_BUDGET, container + " has a tar header larger than " + HEADER_BUDGET + " bytes");
      TarArchiveEntry entry = tar.getNextEntry();
      counted.closeWindow();
      if (entry == null) {
        return;
      }
      budget.chargeEntry(container);
      String name = ArchivePaths.checked(entry.getName(), container);
      if (isWanted(name) && isRegularFile(entry)) {
        keep(name, entry, tar, container);
        if (name.equals("info/index.json")) {
          long consumed = counted.consumed();
          stopAt = consumed > Long.MAX_VALUE - limits.maxScanPastIndex()
              ? Long.MAX_VALUE : consumed + limits.maxScanPastIndex();
        }
      }
      if (counted.consumed() > stopAt) {
        return;
      }
    }
  }

  // Skips the current entry's data; false when the scan has gone as far past index.json as it may.
  private boolean skipRest(InputStream tar, BudgetedInputStream counted) throws IOException {
    while (tar.read(scratch) >= 0) {
      if (counted.consumed() > stopAt) {
        return false;
      }
    }
    return true;
  }

  private void keep(String name, TarArchiveEntry entry, InputStream tar, String container)
      throws IOException, InvalidPackageException {
    if (found.containsKey(name)) {
      throw new InvalidPackageException("corrupt_archive", container + " contains " + name + " twice");
    }
    long max = limits.maxInfoFileBytes();
    if (entry.getSize() > max) {
      throw tooLarge(name + " is " + entry.getSize() + " bytes; the limit is " + max);
    }
    byte[] bytes = tar.readNBytes((int) max + 1);
    if (bytes.length > max) {
      throw tooLarge(name + " is larger than the limit of " + max + " bytes");
    }
    retained += bytes.length;
    if (retained > limits.maxTotalInfoBytes()) {
      throw tooLarge("the info/ files add up to more than " + limits.maxTotalInfoBytes() + " bytes");
    }
    found.put(name, bytes);
  }

  private static boolean isWanted(String name) {
    return WANTED.contains(name) || RECIPES.contains(name);
  }

  // Only plain file data is metadata; symlinks, hard links and devices are skipped without being followed.
  private static boolean isRegularFile(TarArchiveEntry entry) {
    byte flag = entry.getLinkFlag();
    return (flag == TarConstants.LF_NORMAL || flag == TarConstants.LF_OLDNORM || flag == TarConstants.LF_CONTIG)
        && !entry.isSparse();
  }

  private boolean complete() {
    return found.keySet().containsAll(WANTED) && RECIPES.stream().anyMatch(found::containsKey);
  }

  private static InvalidPackageException tooLarge(String message) {
    return new InvalidPackageException("too_large", message);
  }
}
