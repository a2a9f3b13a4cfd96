package io.wharf.conda.license;

import java.util.Locale;
import java.util.Optional;

/** The twelve license families Wharf shows and filters by. */
public enum LicenseFamily {
  AGPL("AGPL",
      "Strong copyleft that also covers software offered over a network: if you modify it and let others use it"
          + " remotely, you must offer them your source code.",
      "https://www.gnu.org/licenses/agpl-3.0.html"),
  GPL2("GPL2",
      "Strong copyleft, version 2: you may use it freely, but if you distribute it or software built from it you must"
          + " release the whole work's source under the GPL 2.",
      "https://www.gnu.org/licenses/old-licenses/gpl-2.0.html"),
  GPL3("GPL3",
      "Strong copyleft, version 3: you may use it freely, but if you distribute it or software built from it you must"
          + " release the whole work's source under the GPL 3, which also adds patent and anti-lockdown terms.",
      "https://www.gnu.org/licenses/gpl-3.0.html"),
  LGPL("LGPL",
      "Weak copyleft for libraries: you may link it into software under any license, but changes to the library itself"
          + " must be shared under the LGPL.",
      "https://www.gnu.org/licenses/lgpl-3.0.html"),
  BSD("BSD",
      "Permissive: you may use, change and redistribute it, also in closed software, as long as you keep the copyright"
          + " notice (some variants also forbid using the authors' names for promotion).",
      "https://opensource.org/license/bsd-3-clause"),
  MIT("MIT",
      "Permissive: you may do almost anything with it, also in closed software, as long as you keep the copyright and"
          + " license notice.",
      "https://opensource.org/license/mit"),
  APACHE("Apache",
      "Permissive with an explicit patent grant: you may use, change and redistribute it, also in closed software, if"
          + " you keep the notices and state significant changes.",
      "https://www.apache.org/licenses/LICENSE-2.0"),
  PSF("PSF",
      "The permissive Python Software Foundation license (and its CNRI ancestors): you may use and redistribute it,"
          + " also in closed software, if you keep the license notice.",
      "https://docs.python.org/3/license.html"),
  PUBLIC_DOMAIN("Public Domain",
      "No copyright restrictions at all: the authors waived their rights (for example CC0 or the Unlicense), so you may"
          + " use it for any purpose without conditions.",
      "https://creativecommons.org/publicdomain/zero/1.0/"),
  PROPRIETARY("Proprietary",
      "Not open source: use is governed by the vendor's own terms or end-user license agreement, which you must read"
          + " and accept before use or redistribution.",
      "https://spdx.org/licenses/"),
  OTHER("Other",
      "A license outside the families above (for example MPL, EPL, ISC, zlib or Creative Commons): read the package's"
          + " license text to learn its terms.",
      "https://spdx.org/licenses/"),
  NONE("None",
      "The package declares no license, so nobody has been granted any rights to it: ask the authors before using it.",
      "https://choosealicense.com/no-permission/");

  private final String label;
  private final String description;
  private final String referenceUrl;

  LicenseFamily(String label, String description, String referenceUrl) {
    this.label = label;
    this.description = description;
    this.referenceUrl = referenceUrl;
  }

  /** The display name, e.g. "Public Domain". */
  public String label() {
    return label;
  }

  /** URL-safe lower-case form, e.g. "public-domain". */
  public String slug() {
    return label.toLowerCase(Locale.ROOT).replace(' ', '-');
  }

  public String description() {
    return description;
  }

  public String referenceUrl() {
    return referenceUrl;
  }

  /**
   * Reads a family from its label, slug or constant name in any case, and from conda-build's spellings of the same
   * family ("PUBLIC-DOMAIN", the older "PUBLICDOMAIN", "APACHE"). conda-build's coarse families that Wharf folds into
   * Other (GPL, CC, MOZILLA) are not spellings of a Wharf family and are not accepted here; {@link LicenseFamilies}
   * maps them.
   */
  public static Optional<LicenseFamily> fromSlugOrLabel(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String key = squash(text);
    if (key.isEmpty()) {
      return Optional.empty();
    }
    for (LicenseFamily family : values()) {
      if (squash(family.label).equals(key) || squash(family.name()).equals(key)) {
        return Optional.of(family);
      }
    }
    return Optional.empty();
  }

  // Spaces, hyphens and underscores are the only ways the accepted spellings differ besides case.
  private static String squash(String s) {
    StringBuilder out = new StringBuilder(Math.min(s.length(), 64));
    for (int i = 0; i < s.length() && out.length() <= 64; i++) {
      char c = s.charAt(i);
      if (c == ' ' || c == '-' || c == '_') {
        continue;
      }
      out.append(Character.toLowerCase(c));
    }
    return out.toString();
  }
}
