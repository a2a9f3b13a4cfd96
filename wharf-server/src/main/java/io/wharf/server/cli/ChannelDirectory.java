package io.wharf.server.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The package files of a channel directory as conda-index lays it out: {@code DIR/<subdir>/*.conda} and
 * {@code *.tar.bz2}. Other files (repodata.json, caches) and deeper directories are not packages.
 */
final class ChannelDirectory {
  /** One package file: where it goes ({@code subdir/filename}) and where it is. */
  record PackageFile(String subdir, String filename, Path path, long size) {
    String entryName() {
      return subdir + "/" + filename;
    }
  }

  private ChannelDirectory() {}

  static List<PackageFile> scan(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new CliException(dir + " is not a directory");
    }
    List<PackageFile> out = new ArrayList<>();
    try (Stream<Path> subdirs = Files.list(dir)) {
      for (Path sub : subdirs.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList()) {
        try (Stream<Path> files = Files.list(sub)) {
          for (Path f : files.sorted().toList()) {
            String name = f.getFileName().toString();
            if ((name.endsWith(".conda") || name.endsWith(".tar.bz2")) && Files.isRegularFile(f)) {
              out.add(new PackageFile(sub.getFileName().toString(), name, f, Files.size(f)));
            }
          }
        }
      }
    } catch (IOException e) {
      throw new CliException("cannot read " + dir + ": " + e.getMessage());
    }
    return out;
  }

  static String sha256(Path file) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buf)) != -1) {
        md.update(buf, 0, n);
      }
    } catch (IOException e) {
      throw new CliException("cannot read " + file + ": " + e.getMessage());
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
