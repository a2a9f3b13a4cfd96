package io.wharf.conda.archive;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

/**
 * The SHA-1 of every regular file a package installs, read from its payload: the whole {@code .tar.bz2},
 * or the {@code pkg-<stem>.tar.zst} member of a {@code .conda}. SPDX 2.x requires a SHA-1 per file (SPDX 2.3
 * §8.4) and conda's {@code info/paths.json} records sha256 only. Unlike {@link PackageArchives#readInfo},
 * this decompresses the whole payload, so it is for a stored file read once, not for an upload; every read
 * is bounded by the same {@link ReadLimits} (decompressed bytes, entries, CPU time).
 */
public final class PayloadDigests {
  private PayloadDigests() {}

  /** A regular file of the payload: lowercase hex SHA-1 and size in bytes. */
  public record FileDigest(String sha1, long size) {}

  /** Path (relative to the prefix) to digest, for the regular files outside {@code info/}. */
  public static Map<String, FileDigest> sha1(Path file, String filename, ReadLimits limits)
      throws IOException, InvalidPackageException {
    ReadBudget budget = ReadBudget.of(limits, () -> false);
    boolean conda = filename.endsWith(".conda");
    try (SourceChannel channel = SourceChannel.open(file, budget)) {
      long size = channel.size();
      try {
        if (conda) {
          String stem = filename.substring(0, filename.length() - ".conda".length());
          try (ZipFile zip = ZipFile.builder().setSeekableByteChannel(channel).get()) {
            List<ZipArchiveEntry> entries = Collections.list(zip.getEntries());
            ZipArchiveEntry pkg = CondaLayout.of(entries, stem).pkg();
            try (InputStream zstd = CondaReader.zstd(zip, pkg)) {
              return walk(zstd, budget, pkg.getName(), pkg.getCompressedSize());
            }
          }
        }
        InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 64 * 1024);
        try (InputStream bzip2 = new BZip2CompressorInputStream(in, true)) {
          return walk(bzip2, budget, "the package", size);
        }
      } catch (InvalidPackageException e) {
        throw e;
      } catch (IOException | RuntimeException e) {
        throw PackageArchives.translate(e);
      }
    } catch (SourceChannel.SourceFailure e) {
      throw e.original();
    }
  }

  private static Map<String, FileDigest> walk(InputStream decompressed, ReadBudget budget, String container,
      long compressedSize) throws IOException, InvalidPackageException {
    BudgetedInputStream counted = new BudgetedInputStream(decompressed, budget,
        budget.limits().decompressedAllowance(compressedSize),
        budget.limits().overAllowance(container, compressedSize));
    TarArchiveInputStream tar = new TarArchiveInputStream(counted, "UTF-8");
    Map<String, FileDigest> out = new HashMap<>();
    byte[] buffer = new byte[64 * 1024];
    while (true) {
      counted.openWindow(InfoTarScanner.HEADER_BUDGET,
          container + " has a tar header larger than " + InfoTarScanner.HEADER_BUDGET + " bytes");
      TarArchiveEntry entry = tar.getNextEntry();
      counted.closeWindow();
      if (entry == null) {
        return out;
      }
      budget.chargeEntry(container);
      String name = ArchivePaths.checked(entry.getName(), container);
      byte flag = entry.getLinkFlag();
      boolean regular = (flag == TarConstants.LF_NORMAL || flag == TarConstants.LF_OLDNORM
          || flag == TarConstants.LF_CONTIG) && !entry.isSparse();
      if (!regular || name.startsWith("info/")) {
        continue;
      }
      MessageDigest sha1 = sha1();
      int n;
      long size = 0;
      while ((n = tar.read(buffer)) > 0) {
        sha1.update(buffer, 0, n);
        size += n;
      }
      out.put(name, new FileDigest(HexFormat.of().formatHex(sha1.digest()), size));
    }
  }

  private static MessageDigest sha1() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-1", e);
    }
  }
}
