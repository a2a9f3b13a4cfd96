package io.wharf.conda.spec;

import io.wharf.conda.version.Version;
import java.util.List;
import java.util.stream.Collectors;

/** The node types of a parsed {@link VersionSpec}. */
final class Clauses {

    private Clauses() {
    }

    enum Op {
        EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

        final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        boolean test(int comparison) {
            return switch (this) {
                case EQ -> comparison == 0;
                case NE -> comparison != 0;
                case LT -> comparison < 0;
                case LE -> comparison <= 0;
                case GT -> comparison > 0;
                case GE -> comparison >= 0;
            };
        }
    }

    record Any() implements VersionSpec {
        @Override
        public boolean matches(Version version) {
            return true;
        }

        @Override
        public String toString() {
            return "*";
        }
    }

    record Compare(Op op, Version version) implements VersionSpec {
        @Override
        public boolean matches(Version candidate) {
            return op.test(candidate.compareTo(version));
        }

        @Override
        public String toString() {
            return op.symbol + version;
        }
    }

    /** {@code 1.8.*}, {@code =1.8}, {@code 1.8*}; negated: {@code !=1.8.*}. */
    record Prefix(Version prefix, boolean negated) implements VersionSpec {
        @Override
        public boolean matches(Version candidate) {
            return candidate.startsWith(prefix) != negated;
        }

        @Override
        public String toString() {
            return (negated ? "!=" : "") + prefix + ".*";
        }
    }

    /** Deprecated {@code ~=0.5.3}: {@code >=0.5.3} and {@code 0.5.*} (CEP 29). */
    record Compatible(Version version, Version prefix) implements VersionSpec {
        @Override
        public boolean matches(Version candidate) {
            return candidate.compareTo(version) >= 0 && candidate.startsWith(prefix);
        }

        @Override
        public String toString() {
            return "~=" + version;
        }
    }

    /** A '*' in the middle of a literal: a glob over the normalized version text, as conda does. */
    record VersionGlob(String pattern) implements VersionSpec {
        @Override
        public boolean matches(Version candidate) {
            return Glob.matches(pattern, candidate.normalized());
        }

        @Override
        public String toString() {
            return pattern;
        }
    }

    record Regex(SafeRegex regex) implements VersionSpec {
        @Override
        public boolean matches(Version candidate) {
            return regex.matches(candidate.normalized());
        }

        @Override
        public String toString() {
            return regex.toString();
        }
    }

    record And(List<VersionSpec> parts) implements VersionSpec {
        @Override
        public boolean matches(Version candidate) {
            return parts.stream().allMatch(p -> p.matches(candidate));
        }

        @Override
        public String toString() {
            return parts.stream()
                    .map(p -> p instanceof Or ? "(" + p + ")" : p.toString())
                    .collect(Collectors.joining(","));
        }
    }

    record Or(List<VersionSpec> parts) implements VersionSpec {
        @Override
        public boolean matches(Version candidate) {
            return parts.stream().anyMatch(p -> p.matches(candidate));
        }

        @Override
        public String toString() {
            return parts.stream().map(VersionSpec::toString).collect(Collectors.joining("|"));
        }
    }
}
