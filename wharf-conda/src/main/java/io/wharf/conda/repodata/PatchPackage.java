package io.wharf.conda.repodata;

import io.wharf.conda.pkg.Subdirs;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/**
 * The patch instructions a repodata-patches package carries (conda-forge's
 * {@code conda-forge-repodata-patches}, CONDA.md §3.3): its payload members
 * {@code <subdir>/patch_instructions.json}, read from a {@code .tar.bz2} or a {@code .conda} (whose payload
 * is the {@code pkg-*.tar.zst} member). Reads are bounded: each member at most {@code maxMemberBytes}, at
 * most {@link #MAX_ENTRIES} archive entries.
 */
public final class PatchPackage {
  static final int MAX_ENTRIES = 100_000;
  private static final String MEMBER = "/patch_instructions.json";

  private PatchPackage() {}

  /** The instructions by subdir; an archive without any is refused. */
  public static SortedMap<String, byte[]> read(Path file, long maxMemberBytes) throws IOException {
    String name = file.getFileName().toString();
    SortedMap<String, byte[]> out = new TreeMap<>();
    if (name.endsWith(".tar.bz2")) {
      try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
        scan(new BZip2CompressorInputStream(in), maxMemberBytes, out);
      }
    } else if (name.endsWith(".conda")) {
      try (ZipFile zip = ZipFile.builder().setPath(file).get()) {
        for (Enumeration<ZipArchiveEntry> en = zip.getEntries(); en.hasMoreElements(); ) {
          ZipArchiveEntry e = en.nextElement();
          if (e.getName().startsWith("pkg-") && e.getName().endsWith(".tar.zst")) {
            try (InputStream in = zip.getInputStream(e)) {
              scan(new ZstdCompressorInputStream(in), maxMemberBytes, out);
            }
          }
        }
      }
    } else {
      throw new IOException(name + " is not a .tar.bz2 or .conda package");
    }
    if (out.isEmpty()) {
      throw new IOException(name + " holds no <subdir>/patch_instructions.json");
    }
    return Collections.unmodifiableSortedMap(out);
  }

  private static void scan(InputStream decompressed, long maxMemberBytes, SortedMap<String, byte[]> out)
      throws IOException {
    try (TarArchiveInputStream tar = new TarArchiveInputStream(decompressed)) {
      int entries = 0;
      for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
        if (++entries > MAX_ENTRIES) {
          throw new IOException("the package has more than " + MAX_ENTRIES + " entries");
        }
        String path = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
        if (!e.isFile() || !path.endsWith(MEMBER)) {
          continue;
        }
        String subdir = path.substring(0, path.length() - MEMBER.length());
        if (!Subdirs.isKnown(subdir)) {
          continue; // not a subdir's instructions (a path deeper down, or an unknown platform)
        }
        if (e.getSize() > maxMemberBytes) {
          throw new IOException(path + " is " + e.getSize() + " bytes; at most " + maxMemberBytes + " are read");
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream((int) Math.max(0, e.getSize()));
        byte[] chunk = new byte[64 * 1024];
        for (int n; (n = tar.read(chunk)) > 0; ) {
          if (buf.size() + n > maxMemberBytes) {
            throw new IOException(path + " is larger than " + maxMemberBytes + " bytes");
          }
          buf.write(chunk, 0, n);
        }
        out.put(subdir, buf.toByteArray());
      }
    }
  }
}
