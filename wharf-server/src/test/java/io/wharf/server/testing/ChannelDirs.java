package io.wharf.server.testing;

import io.wharf.conda.archive.InvalidPackageException;
import io.wharf.conda.archive.PackageArchives;
import io.wharf.conda.archive.ReadLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Channel directories as conda-index lays them out ({@code DIR/<subdir>/<package file>}), and tar streams of them. */
public final class ChannelDirs {
  /** The real packages that are valid uploads (the corrupt ones live elsewhere). */
  public static final List<String> REAL = List.of(
      "conda-forge-repodata-patches-20180828-0.tar.bz2",
      "conda-index-pkg-a-1.0-py27h5e241af_0.conda",
      "conda-index-pkg-a-1.0-py27h5e241af_0.tar.bz2",
      "conda-index-pkg-a-1.0-pyhed9eced_1.tar.bz2",
      "other-package-0.2-0.conda",
      "run_exports_versions-1.0-he35c369_0.tar.bz2",
      "spiffy-test-app-0.5-pyh6afbcc8_0.tar.bz2",
      "xtensor-io-0.10.3-hb585cf6_0.tar.bz2",
      "zlib-1.2.11-h7b6447c_3.conda",
      "zlib-1.2.11-h7b6447c_3.tar.bz2");

  private ChannelDirs() {}

  /**
   * The real fixture packages plus packages made from the real records of {@code names} (see
   * {@link RecordPackages}), each under the subdir its own index.json names.
   */
  public static Path realAndGenerated(Path dir, Set<String> names) throws IOException {
    List<Path> packages = new ArrayList<>();
    REAL.forEach(f -> packages.add(Fixtures.realPackage(f)));
    Path made = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-made"));
    packages.addAll(RecordPackages.fromIndex4(made, names));
    for (Path p : packages) {
      place(dir, p);
    }
    return dir;
  }

  /** Copies a package under {@code dir/<subdir from its index.json>/}; returns where it went. */
  public static Path place(Path dir, Path pkg) throws IOException {
    String name = pkg.getFileName().toString();
    String subdir;
    try {
      subdir = PackageArchives.readInfo(pkg, name, ReadLimits.defaults()).index().subdir()
          .orElseThrow();
    } catch (InvalidPackageException e) {
      throw new IllegalArgumentException(pkg + " is not a valid package", e);
    }
    return Files.copy(pkg, Files.createDirectories(dir.resolve(subdir)).resolve(name));
  }

  /** Every package file of the directory as {@code subdir/filename}, sorted. */
  public static List<String> entries(Path dir) {
    try (Stream<Path> s = Files.walk(dir, 2)) {
      return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/')).sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * What the channel's repodata lists in the subdirs that {@code entries} (as {@link #entries} gives them)
   * name, as {@code subdir/filename}, sorted.
   */
  public static java.util.SortedSet<String> served(TestServer server, String channel, List<String> entries) {
    java.util.SortedSet<String> out = new java.util.TreeSet<>();
    for (String subdir : entries.stream().map(e -> e.substring(0, e.indexOf('/'))).distinct().toList()) {
      com.fasterxml.jackson.databind.JsonNode r = server.getJson("/conda/" + channel + "/" + subdir + "/repodata.json");
      for (String key : List.of("packages", "packages.conda")) {
        r.get(key).fieldNames().forEachRemaining(f -> out.add(subdir + "/" + f));
      }
    }
    return out;
  }

  /** A tar stream of the directory's package files, named {@code subdir/filename}. */
  public static byte[] tar(Path dir) throws IOException {
    List<String> names = entries(dir);
    List<Path> paths = names.stream().map(dir::resolve).toList();
    return tar(names, paths);
  }

  /** A tar stream of these files under these entry names. */
  public static byte[] tar(List<String> names, List<Path> files) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (int i = 0; i < names.size(); i++) {
        byte[] content = Files.readAllBytes(files.get(i));
        TarArchiveEntry e = new TarArchiveEntry(names.get(i));
        e.setSize(content.length);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }
}
