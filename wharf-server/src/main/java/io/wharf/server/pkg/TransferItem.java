package io.wharf.server.pkg;

import io.wharf.conda.pkg.InvalidNameException;
import io.wharf.conda.pkg.PackageFilename;
import io.wharf.server.error.WharfException;

/**
 * What a copy, move or remove acts on, as the caller wrote it: a package name ({@code zlib}: every file
 * of it), a name and version ({@code zlib=1.2.11}), or a file name ({@code zlib-1.2.11-h7b6447c_3.conda},
 * optionally {@code linux-64/zlib-1.2.11-h7b6447c_3.conda}).
 */
record TransferItem(String text, String name, String version, String subdir, String filename) {
  static TransferItem parse(String text) {
    if (text == null || text.isBlank()) {
      throw WharfException.invalid("invalid_item", "an item may not be empty");
    }
    String t = text.strip();
    if (t.endsWith(".conda") || t.endsWith(".tar.bz2")) {
      int slash = t.lastIndexOf('/');
      String subdir = slash < 0 ? null : t.substring(0, slash);
      String filename = t.substring(slash + 1);
      if (subdir != null && (subdir.isEmpty() || subdir.contains("/"))) {
        throw WharfException.invalid("invalid_item", "'" + text + "' is not 'subdir/filename'");
      }
      try {
        return new TransferItem(text, PackageFilename.parse(filename).name(), null, subdir, filename);
      } catch (InvalidNameException e) {
        throw WharfException.invalid("invalid_item", "'" + text + "' is not a package file name: " + e.getMessage());
      }
    }
    int eq = t.indexOf('=');
    String name = eq < 0 ? t : t.substring(0, eq);
    // conda writes an exact version as name=version or name==version
    String version = eq < 0 ? null : t.substring(t.startsWith("==", eq) ? eq + 2 : eq + 1);
    if (name.isEmpty() || name.contains("/") || (version != null && (version.isEmpty() || version.contains("=")))) {
      throw WharfException.invalid("invalid_item",
          "'" + text + "' is not a package name, name=version or file name");
    }
    return new TransferItem(text, name, version, null, null);
  }
}
