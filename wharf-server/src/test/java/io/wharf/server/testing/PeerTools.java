package io.wharf.server.testing;

import org.junit.jupiter.api.Assumptions;

/**
 * Decides what a test does when a peer tool is missing. On a developer machine without the tools the
 * test is skipped; where {@code WHARF_E2E_REQUIRED=true} (CI, after {@code .ci/install-deps.sh}) a missing
 * tool is a failure, so an end-to-end test can never pass by silently not running.
 */
final class PeerTools {

    static final String REQUIRED_ENV = "WHARF_E2E_REQUIRED";

    private PeerTools() {}

    static void assumeAvailable(boolean available, String what) {
        if (available) {
            return;
        }
        String hint = what + " is not available; install it with .ci/install-deps.sh";
        if (Boolean.parseBoolean(System.getenv(REQUIRED_ENV))) {
            throw new AssertionError(hint + " (" + REQUIRED_ENV + " is set)");
        }
        Assumptions.abort(hint);
    }
}
