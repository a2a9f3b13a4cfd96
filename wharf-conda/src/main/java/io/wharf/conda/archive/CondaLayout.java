package io.wharf.conda.archive;

import java.util.List;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;

/**
 * The three members of a {@code .conda} as CEP 35 names them: {@code metadata.json},
 * {@code info-<stem>.tar.zst} and {@code pkg-<stem>.tar.zst} at the top of an uncompressed ZIP, where
 * {@code <stem>} is the file name without {@code .conda}. conda's reader (conda-package-streaming) finds a
 * component as the one ZIP member whose name starts with {@code info-<stem>} or {@code pkg-<stem>}, so a
 * component under a folder, named after another file, missing or doubled leaves a package that conda cannot
 * extract. Other members are ignored by conda's reader and are left alone here too.
 */
record CondaLayout(ZipArchiveEntry metadata, ZipArchiveEntry info, ZipArchiveEntry pkg) {
  private static final String CODE = "not_a_conda_package";

  static CondaLayout of(List<ZipArchiveEntry> entries, String stem) throws InvalidPackageException {
    String infoName = "info-" + stem + ".tar.zst";
    String pkgName = "pkg-" + stem + ".tar.zst";
    ZipArchiveEntry metadata = null;
    ZipArchiveEntry info = null;
    ZipArchiveEntry pkg = null;
    String misplaced = null;
    for (ZipArchiveEntry entry : entries) {
      String name = entry.getName();
      if (entry.isDirectory()) {
        continue;
      }
      if (name.equals("metadata.json")) {
        metadata = single(metadata, entry);
      } else if (name.equals(infoName)) {
        info = single(info, entry);
      } else if (name.equals(pkgName)) {
        pkg = single(pkg, entry);
      } else if (name.startsWith("info-" + stem) || name.startsWith("pkg-" + stem)) {
        throw new InvalidPackageException(CODE, "the ZIP holds " + printable(name) + " beside the component of"
            + " the same prefix; conda finds components by that prefix and refuses a package with two");
      } else if (misplaced == null && looksLikeComponent(name)) {
        misplaced = name;
      }
    }
    if (info == null || pkg == null) {
      throw new InvalidPackageException(CODE, "the ZIP has no " + (info == null ? infoName : pkgName)
          + " component (CEP 35)" + (misplaced == null ? "" : "; it holds " + printable(misplaced)
          + ", but the components must be " + infoName + " and " + pkgName
          + " at the top of the ZIP, named after the file"));
    }
    if (metadata == null) {
      throw new InvalidPackageException(CODE, "the ZIP has no metadata.json (CEP 35)");
    }
    for (ZipArchiveEntry entry : List.of(metadata, info, pkg)) {
      if (entry.getMethod() != ZipArchiveEntry.STORED) {
        throw new InvalidPackageException(CODE, "the ZIP compresses " + entry.getName() + " (ZIP method "
            + entry.getMethod() + "); a .conda must be an uncompressed ZIP (CEP 35), since readers fetch its"
            + " components by byte range");
      }
    }
    return new CondaLayout(metadata, info, pkg);
  }

  private static boolean looksLikeComponent(String name) {
    String base = name.substring(name.lastIndexOf('/') + 1);
    return (base.startsWith("info-") || base.startsWith("pkg-")) && base.endsWith(".tar.zst");
  }

  private static ZipArchiveEntry single(ZipArchiveEntry seen, ZipArchiveEntry entry)
      throws InvalidPackageException {
    if (seen != null) {
      throw new InvalidPackageException(CODE, "the ZIP holds " + printable(entry.getName()) + " twice");
    }
    return entry;
  }

  private static String printable(String name) {
    return ArchivePaths.printable(name);
  }
}
