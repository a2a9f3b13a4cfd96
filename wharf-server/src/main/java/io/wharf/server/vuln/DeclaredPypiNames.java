package io.wharf.server.vuln;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The PyPI projects a conda package says it installs, read from its paths: a {@code <name>-<version>.dist-info}
 * directory (the binary distribution format, PyPA "Recording installed projects": the name with "-" written as
 * "_") or a {@code <name>[-<version>[-pyX.Y]].egg-info} file or directory (setuptools), directly under a
 * {@code site-packages} directory. Deeper ones are not taken: they are copies vendored inside another project
 * (setuptools ships {@code setuptools/_vendor/packaging-*.dist-info}), whose versions are not the package's.
 * Names are PEP 503-normalised. At most {@link #MAX_NAMES} names per package, each a valid project name (PEP 508)
 * of at most {@link #MAX_LENGTH} characters, so a package listing many paths costs one pass and a few rows.
 */
public final class DeclaredPypiNames {
  public static final int MAX_NAMES = 16;
  public static final int MAX_LENGTH = 100;
  /** PEP 508 project names: letters and digits, with ".", "_" or "-" inside. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?");

  private DeclaredPypiNames() {}

  public static Set<String> of(Collection<String> paths) {
    Set<String> out = new LinkedHashSet<>();
    for (String path : paths) {
      if (out.size() >= MAX_NAMES) {
        break;
      }
      String name = declared(path);
      if (name != null) {
        out.add(name);
      }
    }
    return out;
  }

  /** The normalised project name a path's metadata directory declares, or null when it declares none. */
  static String declared(String path) {
    List<String> parts = List.of(path.split("/"));
    int site = parts.indexOf("site-packages");
    if (site < 0 || site + 1 >= parts.size()) {
      return null;
    }
    String entry = parts.get(site + 1);
    String stem;
    if (entry.endsWith(".dist-info")) {
      stem = entry.substring(0, entry.length() - ".dist-info".length());
      if (stem.indexOf('-') < 0) {
        return null; // a dist-info directory always names its version
      }
    } else if (entry.endsWith(".egg-info")) {
      stem = entry.substring(0, entry.length() - ".egg-info".length());
    } else {
      return null;
    }
    int dash = stem.indexOf('-');
    String name = dash < 0 ? stem : stem.substring(0, dash);
    if (name.length() > MAX_LENGTH || !NAME.matcher(name).matches()) {
      return null;
    }
    return PypiNames.normalise(name);
  }
}
