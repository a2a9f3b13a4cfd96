package io.wharf.server.mirror;

import io.wharf.server.error.WharfException;
import java.util.Locale;

/**
 * Which of upstream's repodata documents a mirror takes its records from. conda-index writes the records as
 * the packages say them to {@code repodata_from_packages.json} and the same with the channel's repodata
 * patches applied to {@code repodata.json} (CONDA.md, "Repodata patches").
 */
public enum MirrorRecords {
  /** upstream's {@code repodata.json}: its repodata patches applied (the default) */
  PATCHED("repodata.json"),
  /**
   * upstream's {@code repodata_from_packages.json}: the records as the packages say them, so the mirror
   * channel's own patches are the only ones applied
   */
  UNPATCHED("repodata_from_packages.json");

  private final String document;

  MirrorRecords(String document) {
    this.document = document;
  }

  /** The name of the repodata document a run reads in each subdir (its {@code .zst} is asked for first). */
  public String document() {
    return document;
  }

  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {@code patched} or {@code unpatched}; null means the default, {@link #PATCHED}. */
  public static MirrorRecords parse(String text) {
    if (text == null) {
      return PATCHED;
    }
    for (MirrorRecords r : values()) {
      if (r.text().equals(text.trim().toLowerCase(Locale.ROOT))) {
        return r;
      }
    }
    throw WharfException.invalid("invalid_records", "records must be patched (upstream's repodata.json) or"
        + " unpatched (upstream's repodata_from_packages.json), not " + text);
  }
}
