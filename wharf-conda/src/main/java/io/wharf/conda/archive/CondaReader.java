package io.wharf.conda.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Reads a v2 {@code .conda} (CEP 35): an uncompressed ZIP holding metadata.json, pkg-{stem}.tar.zst and
 * info-{stem}.tar.zst (see {@link CondaLayout}). Only the central directory is trusted for finding the
 * components. Every component's bytes are checked against their ZIP CRC, as conda's reader does while
 * extracting, so a damaged upload is refused rather than published; of the pkg- payload only the first tar
 * header is decompressed, enough to know it is a zstd-compressed tar, since decompressing it all would make
 * the cost of an upload grow with its payload.
 */
final class CondaReader {
  // zstd's default decoder limit (2^27), also python-zstandard's: frames needing a bigger window are not
  // something conda could read either, and the window decides how much memory decompression takes.
  private static final int MAX_WINDOW_LOG = 27;
  private static final long MAX_METADATA_JSON = 64 * 1024;
  /** A .conda has three members; a directory this large is not one (about 20,000 minimal entries). */
  private static final long MAX_DIRECTORY_SPAN = 1L << 20;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private CondaReader() {}

  /** @param stem the file name without ".conda"; the components are named after it */
  static Map<String, byte[]> readInfoFiles(SourceChannel channel, String stem, ReadBudget budget)
      throws IOException, InvalidPackageException {
    if (!startsWithZipSignature(channel)) {
      throw new InvalidPackageException(
          "not_a_conda_package", "the file is not a ZIP file, so it is not a .conda package");
    }
    if (ZipDirectory.span(channel) > MAX_DIRECTORY_SPAN) {
      throw new InvalidPackageException("too_large", "the ZIP directory is larger than " + MAX_DIRECTORY_SPAN
          + " bytes; a .conda holds three members");
    }
    channel.position(0);
    try (ZipFile zip = ZipFile.builder().setSeekableByteChannel(channel).get()) {
      List<ZipArchiveEntry> entries = Collections.list(zip.getEntries());
      for (ZipArchiveEntry entry : entries) {
        budget.chargeEntry("the ZIP");
        ArchivePaths.checked(entry.getName(), "the ZIP");
      }
      CondaLayout layout = CondaLayout.of(entries, stem);
      List<ZipArchiveEntry> components = List.of(layout.metadata(), layout.info(), layout.pkg());
      // one buffer for the three, no larger than the largest (most members of small packages are tiny)
      long largest = components.stream().mapToLong(ZipArchiveEntry::getCompressedSize).max().orElse(0);
      byte[] buffer = new byte[(int) Math.max(512, Math.min(64 * 1024, largest))];
      for (ZipArchiveEntry entry : components) {
        checkCrc(zip, entry, buffer);
      }
      checkFormatVersion(zip, layout.metadata());
      checkPkgComponent(zip, layout.pkg(), budget);
      String info = layout.info().getName();
      InfoTarScanner scanner = new InfoTarScanner(budget);
      try (InputStream zstd = zstd(zip, layout.info())) {
        long compressed = layout.info().getCompressedSize();
        scanner.scan(zstd, info, budget.limits().decompressedAllowance(compressed),
            budget.limits().overAllowance(info, compressed));
      }
      return scanner.found();
    }
  }

  // Every ZIP this reader accepts starts with a local file header "PK\3\4" (CEP 35 .conda files always
  // hold entries); anything else is not a ZIP at all rather than a damaged one.
  private static boolean startsWithZipSignature(SourceChannel channel) throws IOException {
    ByteBuffer head = ByteBuffer.allocate(4);
    channel.position(0);
    while (head.hasRemaining() && channel.read(head) > 0) {
      // a channel may return fewer bytes than asked for
    }
    channel.position(0);
    return head.position() == 4 && head.flip().equals(ByteBuffer.wrap(new byte[] {'P', 'K', 3, 4}));
  }

  // conda's reader (Python's zipfile) checks each member's CRC-32 as it extracts it.
  private static void checkCrc(ZipFile zip, ZipArchiveEntry entry, byte[] buffer)
      throws IOException, InvalidPackageException {
    CRC32 crc = new CRC32();
    try (InputStream in = zip.getInputStream(entry)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        crc.update(buffer, 0, n);
      }
    }
    if (crc.getValue() != entry.getCrc()) {
      throw new InvalidPackageException("corrupt_archive",
          entry.getName() + " does not match its ZIP checksum; the file is damaged");
    }
  }

  /** A zstd-compressed tar whose first header reads; the rest of the payload is not decompressed. */
  private static void checkPkgComponent(ZipFile zip, ZipArchiveEntry pkg, ReadBudget budget)
      throws IOException, InvalidPackageException {
    String name = pkg.getName();
    try (InputStream zstd = zstd(zip, pkg)) {
      BudgetedInputStream head = new BudgetedInputStream(zstd, budget, InfoTarScanner.HEADER_BUDGET,
          name + " has a first tar header larger than " + InfoTarScanner.HEADER_BUDGET + " bytes");
      TarArchiveEntry first = new TarArchiveInputStream(head, "UTF-8").getNextEntry();
      if (first != null) {
        ArchivePaths.checked(first.getName(), name);
      }
    } catch (IOException e) {
      if (e instanceof ReadBudget.Exceeded || e instanceof SourceChannel.SourceFailure) {
        throw e;
      }
      throw new InvalidPackageException("corrupt_archive", name + " is not a readable zstd-compressed tar: "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
    }
  }

  static InputStream zstd(ZipFile zip, ZipArchiveEntry component)
      throws IOException, InvalidPackageException {
    InputStream raw = zip.getInputStream(component);
    byte[] magic = new byte[4];
    int n = raw.readNBytes(magic, 0, 4);
    int value = n < 4 ? 0 : (magic[0] & 0xff) | (magic[1] & 0xff) << 8 | (magic[2] & 0xff) << 16 | magic[3] << 24;
    // A zstd frame, or a skippable frame (RFC 8878, 3.1), starts every zstd stream.
    if (value != 0xFD2FB528 && (value & 0xFFFFFFF0) != 0x184D2A50) {
      raw.close();
      throw new InvalidPackageException("not_a_conda_package",
          component.getName() + " is not Zstandard-compressed (CEP 35)");
    }
    InputStream whole = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(magic), raw);
    // Recycled buffers: a fresh pair per stream (about 256 KiB) dominated what reading a small package allocated.
    ZstdInputStreamNoFinalizer zstd = new ZstdInputStreamNoFinalizer(whole, RecyclingBufferPool.INSTANCE);
    zstd.setLongMax(MAX_WINDOW_LOG);
    return zstd;
  }

  private static void checkFormatVersion(ZipFile zip, ZipArchiveEntry metadata)
      throws IOException, InvalidPackageException {
    byte[] bytes;
    try (InputStream in = zip.getInputStream(metadata)) {
      bytes = in.readNBytes((int) MAX_METADATA_JSON + 1);
    }
    if (bytes.length > MAX_METADATA_JSON) {
      throw new InvalidPackageException("too_large", "metadata.json is larger than " + MAX_METADATA_JSON + " bytes");
    }
    JsonNode tree;
    try {
      tree = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new InvalidPackageException(
          "not_a_conda_package", "metadata.json is not valid JSON", e);
    }
    if (tree == null || !tree.isObject()) {
      throw new InvalidPackageException("not_a_conda_package", "metadata.json is not a JSON object (CEP 35)");
    }
    JsonNode version = tree.path("conda_pkg_format_version");
    if (!version.isIntegralNumber() || version.asLong() != 2) {
      throw new InvalidPackageException("not_a_conda_package", "metadata.json declares conda_pkg_format_version "
          + (version.isMissingNode() ? "nothing" : version.toString()) + "; CEP 35 defines version 2");
    }
  }
}
