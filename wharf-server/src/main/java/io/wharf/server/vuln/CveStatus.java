package io.wharf.server.vuln;

import io.wharf.server.error.WharfException;
import java.util.Locale;

/**
 * The curation status of one CVE on one package file. Reported means matched automatically and not yet
 * reviewed; the other four are curated. Declared from most to least severe, the order a file's summary
 * status is chosen by: Active > Reported > Disputed > Mitigated > Cleared.
 */
public enum CveStatus {
  ACTIVE, REPORTED, DISPUTED, MITIGATED, CLEARED;

  /** Active and Reported CVEs may affect the file; the others were judged not to. */
  public boolean open() {
    return this == ACTIVE || this == REPORTED;
  }

  public String label() {
    return name().charAt(0) + name().substring(1).toLowerCase(Locale.ROOT);
  }

  public static CveStatus parse(String text) {
    if (text != null) {
      for (CveStatus s : values()) {
        if (s.name().equalsIgnoreCase(text.trim())) {
          return s;
        }
      }
    }
    throw WharfException.invalid("bad_status",
        "status must be one of Active, Reported, Disputed, Mitigated, Cleared, not '" + text + "'");
  }
}
