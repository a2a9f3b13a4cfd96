package io.wharf.conda.spec;

import java.util.Objects;

/**
 * Matches a build string (CEP 29 "string matching"): {@code *} anything, a glob such as
 * {@code py39*} or {@code *_cp39}, a {@code ^...$} regex, else exact equality. Case-sensitive, as
 * conda's {@code StrMatch} and rattler's {@code StringMatcher} are (CEP 29's text says
 * case-insensitive, but the solvers that read our repodata do not do that).
 */
public final class BuildSpec {

    static final int MAX_LENGTH = 256;

    private final String text;
    private final SafeRegex regex;

    private BuildSpec(String text, SafeRegex regex) {
        this.text = text;
        this.regex = regex;
    }

    public static BuildSpec parse(String spec) {
        if (spec == null) {
            throw new InvalidSpecException(null, "build spec is missing");
        }
        String text = spec.strip();
        if (text.isEmpty()) {
            throw new InvalidSpecException(spec, "empty build spec");
        }
        if (text.length() > MAX_LENGTH) {
            throw new InvalidSpecException(spec, "build spec longer than " + MAX_LENGTH + " characters");
        }
        if (text.startsWith("^") || text.endsWith("$")) {
            return new BuildSpec(text, SafeRegex.compile(spec, text));
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || "=<>,|[]".indexOf(c) >= 0) {
                throw new InvalidSpecException(spec, "unexpected character '" + c + "' in build spec");
            }
        }
        return new BuildSpec(text, null);
    }

    public boolean matches(String build) {
        if (build == null) {
            return false;
        }
        if (regex != null) {
            return regex.matches(build);
        }
        return text.indexOf('*') >= 0 ? Glob.matches(text, build) : text.equals(build);
    }

    /** True when this spec names one build exactly (no glob, no regex). */
    public boolean isExact() {
        return regex == null && text.indexOf('*') < 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BuildSpec other && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return Objects.hash(text);
    }

    @Override
    public String toString() {
        return text;
    }
}
