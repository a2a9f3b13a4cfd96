package io.wharf.conda.pkg;

import java.util.List;
import java.util.Set;

/**
 * Subdirs that conda clients know. Any name valid per {@link Names#requireSubdir} may be served; this
 * list only tells apart well-known platforms, e.g. for a MatchSpec's {@code channel/subdir::} prefix
 * (CEP 29 requires a known subdir there) or for UI ordering. Source: conda's {@code KNOWN_SUBDIRS}.
 */
public final class Subdirs {

    public static final List<String> KNOWN = List.of(
            "noarch",
            "linux-64", "linux-aarch64", "linux-ppc64le", "linux-s390x", "linux-armv6l",
            "linux-armv7l", "linux-32", "linux-riscv64",
            "osx-64", "osx-arm64",
            "win-64", "win-32", "win-arm64",
            "emscripten-wasm32", "wasi-wasm32", "zos-z");

    private static final Set<String> KNOWN_SET = Set.copyOf(KNOWN);

    private Subdirs() {
    }

    public static boolean isKnown(String subdir) {
        return subdir != null && KNOWN_SET.contains(subdir);
    }
}
