package io.wharf.conda.spec;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code ^...$} regex form of CEP 29. Specs come from untrusted package metadata and queries,
 * so: bounded length, no lookaround or backreferences (CEP 29 says they SHOULD NOT be allowed), and
 * every match runs against a step budget so that a backtracking pattern cannot hang a thread.
 */
final class SafeRegex {

    static final int MAX_LENGTH = 256;
    static final int MAX_STEPS = 200_000;

    private final Pattern pattern;

    private SafeRegex(Pattern pattern) {
        this.pattern = pattern;
    }

    static SafeRegex compile(String spec, String regex) {
        if (regex.length() > MAX_LENGTH) {
            throw new InvalidSpecException(spec, "regex is longer than " + MAX_LENGTH + " characters");
        }
        if (!regex.startsWith("^") || !regex.endsWith("$") || regex.length() < 2) {
            throw new InvalidSpecException(spec, "a regex must start with '^' and end with '$'");
        }
        for (int i = 0; i < regex.length() - 1; i++) {
            char c = regex.charAt(i);
            char next = regex.charAt(i + 1);
            if (c == '\\') {
                if (Character.isDigit(next) || next == 'k') {
                    throw new InvalidSpecException(spec, "backreferences are not allowed in a regex");
                }
                i++;
            } else if (c == '(' && next == '?' && i + 2 < regex.length() && regex.charAt(i + 2) != ':') {
                throw new InvalidSpecException(spec, "lookaround and inline flags are not allowed in a regex");
            }
        }
        try {
            return new SafeRegex(Pattern.compile(regex));
        } catch (PatternSyntaxException e) {
            throw new InvalidSpecException(spec, "invalid regex (" + e.getDescription() + ")", e);
        }
    }

    /** False also when the pattern exceeds its step budget on this input. */
    boolean matches(String text) {
        try {
            return pattern.matcher(new Budgeted(text)).find();
        } catch (BudgetExceeded e) {
            return false;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SafeRegex other && pattern.pattern().equals(other.pattern.pattern());
    }

    @Override
    public int hashCode() {
        return pattern.pattern().hashCode();
    }

    @Override
    public String toString() {
        return pattern.pattern();
    }

    private static final class BudgetExceeded extends RuntimeException {
        BudgetExceeded() {
            super(null, null, false, false);
        }
    }

    /** Counts character reads, the unit of work of java.util.regex backtracking. */
    private static final class Budgeted implements CharSequence {
        private final String text;
        private final int[] steps;

        Budgeted(String text) {
            this(text, new int[1]);
        }

        private Budgeted(String text, int[] steps) {
            this.text = text;
            this.steps = steps;
        }

        @Override
        public char charAt(int index) {
            if (++steps[0] > MAX_STEPS) {
                throw new BudgetExceeded();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Budgeted(text.substring(start, end), steps);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
