package io.wharf.conda.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Reads a v2 {@code .conda} (CEP 35): a ZIP holding metadata.json, pkg-*.tar.zst and info-*.tar.zst. Only the
 * central directory is trusted for finding the components, since writers order them differently and
 * re-zipped files may put them under a folder with data descriptors. The pkg-* payload is never opened.
 */
final class CondaReader {
  // zstd's default decoder limit (2^27), also python-zstandard's: frames needing a bigger window are not
  // something conda could read either, and the window decides how much memory decompression takes.
  private static final int MAX_WINDOW_LOG = 27;
  private static final long MAX_METADATA_JSON = 64 * 1024;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private CondaReader() {}

  static Map<String, byte[]> readInfoFiles(SourceChannel channel, String container, ReadLimits limits)
      throws IOException, InvalidPackageException {
    if (!startsWithZipSignature(channel)) {
      throw new InvalidPackageException(
          "not_a_conda_package", container + " is not a ZIP file, so it is not a .conda package");
    }
    try (ZipFile zip = ZipFile.builder().setSeekableByteChannel(channel).get()) {
      List<ZipArchiveEntry> entries = Collections.list(zip.getEntries());
      if (entries.size() > limits.maxEntries()) {
        throw new InvalidPackageException(
            "too_large", container + " has more than " + limits.maxEntries() + " ZIP entries");
      }
      ZipArchiveEntry metadata = null;
      ZipArchiveEntry info = null;
      for (ZipArchiveEntry entry : entries) {
        String name = ArchivePaths.checked(entry.getName(), container);
        if (entry.isDirectory() || entry.isUnixSymlink()) {
          continue;
        }
        String base = name.substring(name.lastIndexOf('/') + 1);
        if (base.equals("metadata.json")) {
          metadata = single(metadata, entry, container);
        } else if (base.startsWith("info-") && base.endsWith(".tar.zst")) {
          info = single(info, entry, container);
        }
      }
      if (metadata != null) {
        checkFormatVersion(zip, metadata, container);
      }
      if (info == null) {
        throw new InvalidPackageException(
            "not_a_conda_package", container + " has no info-*.tar.zst component (CEP 35)");
      }
      if (!zip.canReadEntryData(info)) {
        throw new InvalidPackageException(
            "corrupt_archive", container + " stores " + info.getName() + " in a way that cannot be read");
      }
      InfoTarScanner scanner = new InfoTarScanner(limits);
      try (InputStream raw = zip.getInputStream(info);
          ZstdInputStreamNoFinalizer zstd = new ZstdInputStreamNoFinalizer(raw)) {
        zstd.setLongMax(MAX_WINDOW_LOG);
        scanner.scan(zstd, container + " " + info.getName());
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

  private static ZipArchiveEntry single(ZipArchiveEntry seen, ZipArchiveEntry entry, String container)
      throws InvalidPackageException {
    if (seen != null) {
      throw new InvalidPackageException(
          "not_a_conda_package",
          container + " has more than one component like " + ArchivePaths.printable(entry.getName()));
    }
    return entry;
  }

  private static void checkFormatVersion(ZipFile zip, ZipArchiveEntry metadata, String container)
      throws IOException, InvalidPackageException {
    byte[] bytes;
    try (InputStream in = zip.getInputStream(metadata)) {
      bytes = in.readNBytes((int) MAX_METADATA_JSON + 1);
    }
    if (bytes.length > MAX_METADATA_JSON) {
      throw new InvalidPackageException("too_large", container + " has an oversized metadata.json");
    }
    JsonNode version;
    try {
      JsonNode tree = JSON.readTree(bytes);
      version = (tree == null ? JSON.missingNode() : tree).path("conda_pkg_format_version");
    } catch (IOException e) {
      throw new InvalidPackageException(
          "not_a_conda_package", container + " has a metadata.json that is not valid JSON", e);
    }
    if (!version.isIntegralNumber() || version.asLong() != 2) {
      throw new InvalidPackageException(
          "not_a_conda_package",
          container + " declares conda_pkg_format_version " + version + "; only version 2 is supported");
    }
  }
}
