package io.wharf.conda.spec;

/** A MatchSpec, version spec or build spec that cannot be parsed (CEP 29). */
public final class InvalidSpecException extends IllegalArgumentException {

    private final String spec;
    private final String reason;

    public InvalidSpecException(String spec, String reason) {
        super("Invalid spec '" + shorten(spec) + "': " + reason + ".");
        this.spec = spec;
        this.reason = reason;
    }

    public InvalidSpecException(String spec, String reason, Throwable cause) {
        this(spec, reason);
        initCause(cause);
    }

    public String spec() {
        return spec;
    }

    /** The rule that was broken, without the spec text. */
    public String reason() {
        return reason;
    }

    private static String shorten(String s) {
        if (s == null) {
            return "null";
        }
        String oneLine = s.replaceAll("\\p{Cntrl}", "?");
        return oneLine.length() > 120 ? oneLine.substring(0, 120) + "..." : oneLine;
    }
}
