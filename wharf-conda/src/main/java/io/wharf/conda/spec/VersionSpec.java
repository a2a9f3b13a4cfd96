package io.wharf.conda.spec;

import io.wharf.conda.version.Version;

/**
 * A version specifier (CEP 29 "version matching", conda {@code VersionSpec}): clauses joined by
 * {@code ,} (AND, binds tighter) and {@code |} (OR), with parentheses. {@code toString()} gives a
 * normalized form that parses back to an equivalent spec.
 */
public interface VersionSpec {

    boolean matches(Version version);

    /** conda semantics: a bare literal such as {@code 1.8} means exact equality ({@code ==1.8}). */
    static VersionSpec parse(String text) {
        return VersionSpecParser.parse(text, true);
    }

    /**
     * With {@code bareIsExact = false} a bare literal {@code 1.8} is read as the prefix match
     * {@code 1.8.*}, as people mean it in a search box; clauses with an operator or a glob are
     * unaffected. {@link MatchSpec} always uses the conda rule ({@code name 1.8} is exact,
     * {@code name=1.8} is a prefix match).
     */
    static VersionSpec parse(String text, boolean bareIsExact) {
        return VersionSpecParser.parse(text, bareIsExact);
    }
}
