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
    for (Entry entry : entries) {
      TarArchiveEntry header = header(entry);
      header.setModTime(MTIME_MILLIS);
      tar.putArchiveEntry(header);
      if (entry.kind() == Kind.FILE) {
        tar.write(entry.content());
      }
      tar.closeArchiveEntry();
    }
    tar.finish();
    tar.flush();
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
