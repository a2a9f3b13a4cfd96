package io.wharf.server.mirror;

import io.wharf.server.error.WharfException;
import java.util.Locale;

/** How a mirror takes package files from its upstream. */
public enum MirrorMode {
  /** every selected file is downloaded during the run */
  ACTIVE,
  /** the run copies records only; a file is fetched the first time a client asks for it, then kept */
  PASSIVE;

  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static MirrorMode parse(String text) {
    if (text != null) {
      for (MirrorMode m : values()) {
        if (m.text().equals(text.toLowerCase(Locale.ROOT))) {
          return m;
        }
      }
    }
    throw WharfException.invalid("invalid_mode", "mode must be active or passive, not " + text);
  }
}
