package io.wharf.conda.version;

/** A version string that conda's VersionOrder (CEP 33) cannot parse. */
public final class InvalidVersionException extends IllegalArgumentException {

    private final String version;
    private final String reason;

    public InvalidVersionException(String version, String reason) {
        super("Invalid version '" + shorten(version) + "': " + reason + ".");
        this.version = version;
        this.reason = reason;
    }

    /** The rule that was broken, without the version text. */
    public String reason() {
        return reason;
    }

    public String version() {
        return version;
    }

    private static String shorten(String s) {
        if (s == null) {
            return "null";
        }
        String oneLine = s.replaceAll("\\p{Cntrl}", "?");
        return oneLine.length() > 100 ? oneLine.substring(0, 100) + "..." : oneLine;
    }
}
