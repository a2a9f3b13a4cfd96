package io.wharf.server.pkg;

import io.wharf.conda.metadata.IndexJson;
import io.wharf.conda.pkg.Subdirs;
import io.wharf.server.error.WharfException;
import java.util.Map;
import java.util.Optional;

/** Decides which subdir a package belongs to, from its own {@code index.json}. */
final class Subdir {
  // Old packages may lack "subdir"; conda derived it from platform + arch (conda/models/channel.py).
  private static final Map<String, String> ARCH_SUFFIX = Map.of(
      "x86_64", "64", "x86", "32", "aarch64", "aarch64", "arm64", "arm64", "ppc64le", "ppc64le",
      "s390x", "s390x", "armv7l", "armv7l", "armv6l", "armv6l");

  private Subdir() {}

  static String of(IndexJson index) {
    String subdir = index.subdir().orElseGet(() -> derive(index).orElseThrow(() -> WharfException.invalid(
        "missing_subdir", "info/index.json has no 'subdir' and none can be derived from 'platform'/'arch'")));
    if (!Subdirs.isKnown(subdir)) {
      throw WharfException.invalid("unknown_subdir",
          "subdir '" + subdir + "' from info/index.json is not a known conda platform (known: "
              + String.join(", ", Subdirs.KNOWN) + ")",
          Map.of("subdir", subdir));
    }
    return subdir;
  }

  private static Optional<String> derive(IndexJson index) {
    if (index.noarch().isPresent()) {
      return Optional.of("noarch");
    }
    Optional<String> platform = index.platform();
    Optional<String> arch = index.arch();
    if (platform.isEmpty() || arch.isEmpty() || !ARCH_SUFFIX.containsKey(arch.get())) {
      return Optional.empty();
    }
    return Optional.of(platform.get() + "-" + ARCH_SUFFIX.get(arch.get()));
  }
}
