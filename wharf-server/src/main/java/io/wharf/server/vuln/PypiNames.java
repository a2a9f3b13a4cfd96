package io.wharf.server.vuln;

import java.util.Locale;

/** PyPI project names compare after PEP 503 normalisation: lower case, runs of "-", "_", "." become "-". */
public final class PypiNames {
  private PypiNames() {}

  public static String normalise(String name) {
    return name.trim().toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
  }
}
