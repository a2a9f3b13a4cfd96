package io.wharf.conda.archive;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipEncodingHelper;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;

/**
 * Builds package files from in-memory entries, for tests and fixtures. It writes whatever it is given,
 * including hostile names and links, so that readers can be tested against them; it validates nothing.
 */
public final class PackageWriter {
  /** A fixed mtime keeps generated archives byte-for-byte reproducible. */
  private static final long MTIME_MILLIS = 1_577_836_800_000L; // 2020-01-01T00:00:00Z

  private PackageWriter() {}

  public enum Kind {
    FILE,
    DIRECTORY,
    SYMLINK,
    HARDLINK
  }

  /** One archive member; {@code linkTarget} is set only for links, {@code content} only for files. */
  public record Entry(String path, Kind kind, byte[] content, String linkTarget) {
    public static Entry file(String path, byte[] content) {
      return new Entry(path, Kind.FILE, content, null);
    }

    public static Entry file(String path, String content) {
      return file(path, content.getBytes(StandardCharsets.UTF_8));
    }

    public static Entry directory(String path) {
      return new Entry(path, Kind.DIRECTORY, new byte[0], null);
    }

    public static Entry symlink(String path, String target) {
      return new Entry(path, Kind.SYMLINK, new byte[0], target);
    }

    public static Entry hardlink(String path, String target) {
      return new Entry(path, Kind.HARDLINK, new byte[0], target);
    }
  }

  public static List<Entry> files(Map<String, byte[]> files) {
    List<Entry> entries = new ArrayList<>();
    files.forEach((path, content) -> entries.add(Entry.file(path, content)));
    return entries;
  }

  /** A bzip2-compressed tar with the entries in the given order. */
  public static void writeTarBz2(Path target, List<Entry> entries) throws IOException {
    try (OutputStream out = Files.newOutputStream(target);
        BZip2CompressorOutputStream bzip2 = new BZip2CompressorOutputStream(out)) {
      writeTar(bzip2, entries);
    }
  }

  public static void writeTarBz2(Path target, Map<String, byte[]> files) throws IOException {
    writeTarBz2(target, files(files));
  }

  /**
   * A CEP 35 .conda in the current writers' order (metadata.json, pkg-, info-), every component STORED and
   * each tar compressed as one zstd frame. Entries under {@code info/} go to info-{stem}.tar.zst, the rest
   * to pkg-{stem}.tar.zst. {@code stem} is written as given, so it may disagree with the file name.
   */
  public static void writeConda(Path target, String stem, List<Entry> entries) throws IOException {
    List<Entry> info = new ArrayList<>();
    List<Entry> pkg = new ArrayList<>();
    for (Entry entry : entries) {
      (entry.path().startsWith("info/") ? info : pkg).add(entry);
    }
    byte[] metadata = "{\"conda_pkg_format_version\": 2}".getBytes(StandardCharsets.UTF_8);
    writeZip(
        target,
        new String[] {"metadata.json", "pkg-" + stem + ".tar.zst", "info-" + stem + ".tar.zst"},
        new byte[][] {metadata, zstd(tar(pkg)), zstd(tar(info))});
  }

  public static void writeConda(Path target, String stem, Map<String, byte[]> files) throws IOException {
    writeConda(target, stem, files(files));
  }

  /**
   * A .tar.bz2 holding {@code before}, then the file {@code path} of {@code zeroBytes} zero bytes, then
   * {@code after}: a decompression bomb of any size, written in about a second because one bzip2 stream of
   * zeros is compressed once and repeated (bzip2 readers, Python's included, read concatenated streams).
   */
  public static void writeTarBz2WithZeros(Path target, List<Entry> before, String path, long zeroBytes,
      List<Entry> after) throws IOException {
    try (OutputStream out = Files.newOutputStream(target)) {
      writeWithZeros(out, PackageWriter::bzip2, before, path, zeroBytes, after);
    }
  }

  /**
   * A .conda (as {@link #writeConda}) whose info-{stem}.tar.zst holds {@code before}, then the file
   * {@code path} of {@code zeroBytes} zero bytes, then {@code after}, as repeated zstd frames.
   */
  public static void writeCondaWithZeros(Path target, String stem, List<Entry> before, String path,
      long zeroBytes, List<Entry> after) throws IOException {
    ByteArrayOutputStream info = new ByteArrayOutputStream();
    writeWithZeros(info, PackageWriter::zstd, before, path, zeroBytes, after);
    byte[] metadata = "{\"conda_pkg_format_version\": 2}".getBytes(StandardCharsets.UTF_8);
    writeZip(
        target,
        new String[] {"metadata.json", "pkg-" + stem + ".tar.zst", "info-" + stem + ".tar.zst"},
        new byte[][] {metadata, zstd(tar(List.of())), info.toByteArray()});
  }

  private interface Compressor {
    byte[] compress(byte[] data) throws IOException;
  }

  private static final int ZERO_CHUNK = 4 << 20;

  private static void writeWithZeros(OutputStream out, Compressor compressor, List<Entry> before, String path,
      long zeroBytes, List<Entry> after) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    TarArchiveOutputStream tar = new TarArchiveOutputStream(head, "UTF-8");
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    writeEntries(tar, before);
    tar.flush();
    TarArchiveEntry big = new TarArchiveEntry(path, true);
    big.setSize(zeroBytes);
    big.setModTime(MTIME_MILLIS);
    byte[] header = new byte[512];
    // star mode writes sizes of 8 GiB and more as base-256 numbers, which tar readers accept
    big.writeEntryHeader(header, ZipEncodingHelper.getZipEncoding("UTF-8"), true);
    head.write(header);
    out.write(compressor.compress(head.toByteArray()));
    byte[] chunk = compressor.compress(new byte[ZERO_CHUNK]);
    for (long left = zeroBytes; left > 0; left -= ZERO_CHUNK) {
      out.write(left >= ZERO_CHUNK ? chunk : compressor.compress(new byte[(int) left]));
    }
    ByteArrayOutputStream tail = new ByteArrayOutputStream();
    tail.write(new byte[(int) ((512 - zeroBytes % 512) % 512)]);
    tail.write(tar(after));
    out.write(compressor.compress(tail.toByteArray()));
  }

  private static byte[] bzip2(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (BZip2CompressorOutputStream bzip2 = new BZip2CompressorOutputStream(out)) {
      bzip2.write(data);
    }
    return out.toByteArray();
  }

  /** An uncompressed tar of the entries, names kept exactly as given (even absolute ones). */
  public static byte[] tar(List<Entry> entries) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeTar(out, entries);
    return out.toByteArray();
  }

  /** One zstd frame with the content size declared, as conda-package-handling writes. */
  public static byte[] zstd(byte[] data) {
    return Zstd.compress(data, 19);
  }

  /** A ZIP with the given names and contents, all STORED. */
  public static void writeZip(Path target, String[] names, byte[][] contents) throws IOException {
    try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(target)) {
      zip.setUseZip64(Zip64Mode.AsNeeded);
      for (int i = 0; i < names.length; i++) {
        ZipArchiveEntry entry = new ZipArchiveEntry(names[i]);
        CRC32 crc = new CRC32();
        crc.update(contents[i]);
        entry.setMethod(ZipArchiveEntry.STORED);
        entry.setSize(contents[i].length);
        entry.setCompressedSize(contents[i].length);
        entry.setCrc(crc.getValue());
        entry.setTime(MTIME_MILLIS);
        zip.putArchiveEntry(entry);
        zip.write(contents[i]);
        zip.closeArchiveEntry();
      }
    }
  }

  private static void writeTar(OutputStream out, List<Entry> entries) throws IOException {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(out, "UTF-8");
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    writeEntries(tar, entries);
    tar.finish();
    tar.flush();
  }

  private static void writeEntries(TarArchiveOutputStream tar, List<Entry> entries) throws IOException {
    for (Entry entry : entries) {
      TarArchiveEntry header = header(entry);
      header.setModTime(MTIME_MILLIS);
      tar.putArchiveEntry(header);
      if (entry.kind() == Kind.FILE) {
        tar.write(entry.content());
      }
      tar.closeArchiveEntry();
    }
  }

  private static TarArchiveEntry header(Entry entry) {
    switch (entry.kind()) {
      case DIRECTORY:
        return new TarArchiveEntry(entry.path(), TarConstants.LF_DIR, true);
      case SYMLINK:
      case HARDLINK: {
        byte flag = entry.kind() == Kind.SYMLINK ? TarConstants.LF_SYMLINK : TarConstants.LF_LINK;
        TarArchiveEntry header = new TarArchiveEntry(entry.path(), flag, true);
        header.setLinkName(entry.linkTarget());
        return header;
      }
      default: {
        TarArchiveEntry header = new TarArchiveEntry(entry.path(), true);
        header.setSize(entry.content().length);
        return header;
      }
    }
  }
}
