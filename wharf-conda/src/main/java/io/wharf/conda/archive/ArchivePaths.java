package io.wharf.conda.archive;

/** Entry-name rules shared by the ZIP and tar readers. */
final class ArchivePaths {
  private ArchivePaths() {}

  /**
   * The entry name without leading "./", or an "unsafe_path" rejection when it could escape the install
   * prefix: absolute names, Windows drive or UNC names, and ".." segments (in either slash direction, since
   * conda also installs on Windows).
   */
  static String checked(String rawName, String container) throws InvalidPackageException {
    String name = rawName;
    while (name.startsWith("./")) {
      name = name.substring(2);
    }
    boolean unsafe =
        name.startsWith("/")
            || name.startsWith("\\")
            || name.indexOf('\0') >= 0
            || (name.length() >= 2 && name.charAt(1) == ':' && Character.isLetter(name.charAt(0)));
    if (!unsafe) {
      unsafe = hasParentSegment(name);
    }
    if (unsafe) {
      throw new InvalidPackageException(
          "unsafe_path",
          container + " contains the entry \"" + printable(rawName) + "\", which points outside the package");
    }
    return name;
  }

  // A ".." between separators (either slash) or at either end.
  private static boolean hasParentSegment(String name) {
    int start = 0;
    for (int i = 0; i <= name.length(); i++) {
      if (i == name.length() || name.charAt(i) == '/' || name.charAt(i) == '\\') {
        if (i - start == 2 && name.charAt(start) == '.' && name.charAt(start + 1) == '.') {
          return true;
        }
        start = i + 1;
      }
    }
    return false;
  }

  static String printable(String name) {
    StringBuilder out = new StringBuilder();
    name.codePoints().limit(200).forEach(c -> {
      if (Character.isISOControl(c)) {
        out.append(String.format("\\u%04x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return name.length() > 200 ? out + "..." : out.toString();
  }
}
