package io.wharf.conda.spec;

import io.wharf.conda.spec.Clauses.Op;
import io.wharf.conda.version.InvalidVersionException;
import io.wharf.conda.version.Version;
import java.util.ArrayList;
import java.util.List;

/**
 * Recursive-descent parser for version specifiers (CEP 29; conda {@code treeify} and
 * {@code VersionSpec.get_matcher} for the clause forms):
 * <pre>
 *   or     := and ('|' and)*
 *   and    := atom (',' atom)*
 *   atom   := '(' or ')' | clause
 * </pre>
 */
final class VersionSpecParser {

    static final int MAX_LENGTH = 4096;
    static final int MAX_DEPTH = 32;

    private final String spec;
    private final String text;
    private final boolean bareIsExact;
    private int pos;
    private int depth;

    private VersionSpecParser(String spec, String text, boolean bareIsExact) {
        this.spec = spec;
        this.text = text;
        this.bareIsExact = bareIsExact;
    }

    static VersionSpec parse(String spec, boolean bareIsExact) {
        if (spec == null) {
            throw new InvalidSpecException(null, "version spec is missing");
        }
        if (spec.length() > MAX_LENGTH) {
            throw new InvalidSpecException(spec, "longer than " + MAX_LENGTH + " characters");
        }
        // CEP 29: spaces inside a version expression MUST be removed and ignored.
        StringBuilder compactText = new StringBuilder(spec.length());
        spec.chars().filter(c -> !Character.isWhitespace(c)).forEach(c -> compactText.append((char) c));
        String compact = compactText.toString();
        if (compact.isEmpty()) {
            throw new InvalidSpecException(spec, "empty version spec");
        }
        VersionSpecParser parser = new VersionSpecParser(spec, compact, bareIsExact);
        VersionSpec result = parser.or();
        if (parser.pos != compact.length()) {
            throw new InvalidSpecException(spec, "unexpected '" + compact.charAt(parser.pos) + "' at position " + parser.pos);
        }
        return result;
    }

    private VersionSpec or() {
        List<VersionSpec> parts = new ArrayList<>();
        addFlattened(parts, and(), Clauses.Or.class);
        while (peek('|')) {
            pos++;
            addFlattened(parts, and(), Clauses.Or.class);
        }
        return parts.size() == 1 ? parts.get(0) : new Clauses.Or(List.copyOf(parts));
    }

    private VersionSpec and() {
        List<VersionSpec> parts = new ArrayList<>();
        addFlattened(parts, atom(), Clauses.And.class);
        while (peek(',')) {
            pos++;
            addFlattened(parts, atom(), Clauses.And.class);
        }
        return parts.size() == 1 ? parts.get(0) : new Clauses.And(List.copyOf(parts));
    }

    private static void addFlattened(List<VersionSpec> parts, VersionSpec next, Class<?> kind) {
        if (next instanceof Clauses.Or or && kind == Clauses.Or.class) {
            parts.addAll(or.parts());
        } else if (next instanceof Clauses.And and && kind == Clauses.And.class) {
            parts.addAll(and.parts());
        } else {
            parts.add(next);
        }
    }

    private VersionSpec atom() {
        if (peek('(')) {
            if (++depth > MAX_DEPTH) {
                throw new InvalidSpecException(spec, "parentheses nested deeper than " + MAX_DEPTH);
            }
            pos++;
            VersionSpec inner = or();
            if (!peek(')')) {
                throw new InvalidSpecException(spec, "missing ')'");
            }
            pos++;
            depth--;
            return inner;
        }
        int start = pos;
        if (peek('^')) {
            // A regex runs to the next '$' and may contain the operator characters ( ) | ,
            int end = text.indexOf('$', pos);
            if (end < 0) {
                throw new InvalidSpecException(spec, "a regex must start with '^' and end with '$'");
            }
            pos = end + 1;
        } else {
            while (pos < text.length() && "()|,".indexOf(text.charAt(pos)) < 0) {
                pos++;
            }
        }
        if (start == pos) {
            throw new InvalidSpecException(spec, pos < text.length()
                    ? "expected a version clause before '" + text.charAt(pos) + "'"
                    : "expected a version clause at the end");
        }
        return clause(text.substring(start, pos));
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private VersionSpec clause(String clause) {
        if (clause.startsWith("^") || clause.endsWith("$")) {
            return new Clauses.Regex(SafeRegex.compile(spec, clause));
        }
        if ("=<>!~".indexOf(clause.charAt(0)) >= 0) {
            return operatorClause(clause);
        }
        if (clause.chars().allMatch(c -> c == '*')) {
            return new Clauses.Any();
        }
        String withoutTrailingStars = stripTrailingStars(clause);
        if (withoutTrailingStars.indexOf('*') >= 0) {
            return glob(clause);
        }
        if (withoutTrailingStars.length() < clause.length()) {
            return new Clauses.Prefix(version(stripDot(withoutTrailingStars)), false);
        }
        Version literal = version(clause);
        return bareIsExact ? new Clauses.Compare(Op.EQ, literal) : new Clauses.Prefix(literal, false);
    }

    private VersionSpec operatorClause(String clause) {
        String op = operatorOf(clause);
        String operand = clause.substring(op.length());
        if (operand.isEmpty() || "=<>!~".indexOf(operand.charAt(0)) >= 0) {
            throw new InvalidSpecException(spec, "invalid operator in '" + clause + "'");
        }
        boolean wildcard = operand.endsWith("*");
        String literal = wildcard ? stripDot(stripTrailingStars(operand)) : operand;
        if (literal.indexOf('*') >= 0 || literal.isEmpty()) {
            throw new InvalidSpecException(spec, "'*' may only end a version after an operator, in '" + clause + "'");
        }
        Version version = version(literal);
        return switch (op) {
            case "=" -> new Clauses.Prefix(version, false);
            // CEP 29 reads V.* after == as fuzzy equality and after != as its negation.
            case "==" -> wildcard ? new Clauses.Prefix(version, false) : new Clauses.Compare(Op.EQ, version);
            case "!=" -> wildcard ? new Clauses.Prefix(version, true) : new Clauses.Compare(Op.NE, version);
            case "~=" -> compatible(clause, literal, version, wildcard);
            // conda ignores a superfluous .* after an ordering operator (>=1.8.* is >=1.8).
            case "<" -> new Clauses.Compare(Op.LT, version);
            case "<=" -> new Clauses.Compare(Op.LE, version);
            case ">" -> new Clauses.Compare(Op.GT, version);
            case ">=" -> new Clauses.Compare(Op.GE, version);
            default -> throw new InvalidSpecException(spec, "invalid operator in '" + clause + "'");
        };
    }

    private VersionSpec compatible(String clause, String literal, Version version, boolean wildcard) {
        int lastDot = literal.lastIndexOf('.');
        if (wildcard || lastDot <= 0) {
            throw new InvalidSpecException(spec, "'~=' needs a version with at least two segments and no '*', in '" + clause + "'");
        }
        return new Clauses.Compatible(version, version(literal.substring(0, lastDot)));
    }

    private static String operatorOf(String clause) {
        for (String op : List.of("==", "!=", "<=", ">=", "~=", "<", ">", "=")) {
            if (clause.startsWith(op)) {
                return op;
            }
        }
        return "";
    }

    private VersionSpec glob(String clause) {
        for (int i = 0; i < clause.length(); i++) {
            char c = clause.charAt(i);
            boolean ok = Character.isLetterOrDigit(c) && c < 128 || ".*_+!-".indexOf(c) >= 0;
            if (!ok) {
                throw new InvalidSpecException(spec, "unexpected character '" + c + "' in '" + clause + "'");
            }
        }
        return new Clauses.VersionGlob(clause.toLowerCase(java.util.Locale.ROOT));
    }

    private Version version(String literal) {
        try {
            return Version.parse(literal);
        } catch (InvalidVersionException e) {
            throw new InvalidSpecException(spec, "bad version '" + literal + "' (" + e.reason() + ")", e);
        }
    }

    private static String stripTrailingStars(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '*') {
            end--;
        }
        return s.substring(0, end);
    }

    private static String stripDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
