package io.wharf.conda.pkg;

import java.util.regex.Pattern;

/**
 * Strict validation of the strings that identify a conda artifact (CEP 26, with the version
 * structure of CEP 33). Use these when accepting something new, e.g. an upload; be lenient when
 * reading third-party repodata.
 */
public final class Names {

    static final int MAX_NAME = 64;
    static final int MAX_VERSION = 64;
    static final int MAX_BUILD = 64;
    static final int MAX_SUBDIR = 32;
    static final int MAX_LABEL = 128;

    // CEP 26 "distributable package name" regex. The spec makes it case-insensitive, but the prose
    // requires lowercase letters, so uppercase is refused by the charset check first.
    private static final Pattern NAME =
            Pattern.compile("^(([a-z0-9])|([a-z0-9_](?!_)))[._-]?([a-z0-9]+(\\.|-|_|$))*$");
    private static final Pattern NAME_CHARS = Pattern.compile("[a-z0-9._-]+");
    private static final Pattern VERSION_CHARS = Pattern.compile("[0-9a-z._+!]+");
    private static final Pattern BUILD = Pattern.compile("[a-zA-Z0-9_.+]+");
    private static final Pattern SUBDIR = Pattern.compile("[a-z0-9]+-[a-z0-9]+");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z][0-9a-zA-Z_\\-./]*");
    private static final Pattern DIGIT_RUN = Pattern.compile("[0-9]+");
    private static final long MAX_DIGIT_RUN = Integer.MAX_VALUE; // CEP 33: runs <= 2^31-1

    private Names() {
    }

    public static boolean isVirtual(String name) {
        return name != null && name.startsWith("__");
    }

    public static String requireName(String name) {
        notEmpty("name", name);
        maxLength("name", name, MAX_NAME);
        if (isVirtual(name)) {
            throw invalid("name", name, "is a virtual package name (it starts with '__'); virtual "
                    + "packages only exist on the client and cannot be stored in a channel");
        }
        if (!NAME_CHARS.matcher(name).matches()) {
            throw invalid("name", name,
                    "may only contain lowercase ASCII letters, digits, '-', '.' and '_'");
        }
        if (!NAME.matcher(name).matches()) {
            throw invalid("name", name, "must start with a letter, a digit or a single '_' and "
                    + "must not contain two separators ('-', '.', '_') in a row");
        }
        return name;
    }

    public static String requireVersion(String version) {
        notEmpty("version", version);
        maxLength("version", version, MAX_VERSION);
        if (!VERSION_CHARS.matcher(version).matches()) {
            throw invalid("version", version, "may only contain digits, lowercase ASCII letters, "
                    + "'.', '_', '+' and '!'");
        }
        String main = version;
        int bang = main.indexOf('!');
        if (bang >= 0) {
            String epoch = main.substring(0, bang);
            if (!DIGIT_RUN.matcher(epoch).matches()) {
                throw invalid("version", version, "must have a number before the epoch separator '!'");
            }
            main = main.substring(bang + 1);
            if (main.indexOf('!') >= 0) {
                throw invalid("version", version, "must not contain more than one epoch separator '!'");
            }
        }
        int plus = main.indexOf('+');
        if (plus >= 0) {
            String local = main.substring(plus + 1);
            main = main.substring(0, plus);
            if (local.indexOf('+') >= 0) {
                throw invalid("version", version, "must not contain more than one local version separator '+'");
            }
            requireSegments(version, local, false);
        }
        requireSegments(version, main, true);
        requireDigitRunsFit(version);
        return version;
    }

    private static void requireDigitRunsFit(String version) {
        int i = 0;
        while (i < version.length()) {
            if (!Character.isDigit(version.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < version.length() && version.charAt(i) == '0' && i + 1 < version.length()
                    && Character.isDigit(version.charAt(i + 1))) {
                i++; // leading zeros do not add to the value
            }
            int significant = i;
            while (i < version.length() && Character.isDigit(version.charAt(i))) {
                i++;
            }
            String run = version.substring(significant, i);
            if (run.length() > 10 || Long.parseLong(run) > MAX_DIGIT_RUN) {
                throw invalid("version", version, "has a number larger than 2^31-1 (" + version.substring(start, i) + ")");
            }
        }
    }

    // CEP 33: no empty segments between '.' and '_'; one trailing '_' is allowed on the main part
    // only (the openssl convention, "1.0.1_ < 1.0.1a").
    private static void requireSegments(String version, String part, boolean trailingUnderscoreAllowed) {
        String body = part;
        if (trailingUnderscoreAllowed && body.endsWith("_")) {
            body = body.substring(0, body.length() - 1);
        }
        if (body.isEmpty()) {
            throw invalid("version", version, "must not have an empty main or local part");
        }
        char first = body.charAt(0);
        char last = body.charAt(body.length() - 1);
        if (isSeparator(first) || isSeparator(last)) {
            throw invalid("version", version, "must not start or end a part with '.' or '_'");
        }
        for (int i = 1; i < body.length(); i++) {
            if (isSeparator(body.charAt(i)) && isSeparator(body.charAt(i - 1))) {
                throw invalid("version", version, "must not contain empty segments (two separators in a row)");
            }
        }
    }

    private static boolean isSeparator(char c) {
        return c == '.' || c == '_';
    }

    public static String requireBuild(String build) {
        notEmpty("build", build);
        maxLength("build", build, MAX_BUILD);
        if (!BUILD.matcher(build).matches()) {
            throw invalid("build", build, "may only contain ASCII letters, digits, '_', '.' and '+'");
        }
        return build;
    }

    public static String requireSubdir(String subdir) {
        notEmpty("subdir", subdir);
        maxLength("subdir", subdir, MAX_SUBDIR);
        if (!subdir.equals("noarch") && !SUBDIR.matcher(subdir).matches()) {
            throw invalid("subdir", subdir, "must be 'noarch' or '<os>-<arch>' made of lowercase "
                    + "ASCII letters and digits, like 'linux-64'");
        }
        return subdir;
    }

    public static String requireLabel(String label) {
        notEmpty("label", label);
        maxLength("label", label, MAX_LABEL);
        if (!LABEL.matcher(label).matches()) {
            throw invalid("label", label, "must start with an ASCII letter and contain only ASCII "
                    + "letters, digits, '_', '-', '.' and '/'");
        }
        return label;
    }

    private static void notEmpty(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidNameException(field, value == null ? "" : value,
                    "The " + describe(field) + " must not be empty.");
        }
    }

    private static void maxLength(String field, String value, int max) {
        if (value.length() > max) {
            throw invalid(field, value, "is " + value.length() + " characters long; at most " + max + " are allowed");
        }
    }

    static InvalidNameException invalid(String field, String value, String rule) {
        return new InvalidNameException(field, value,
                "Invalid " + describe(field) + " '" + printable(value) + "': it " + rule + ".");
    }

    private static String describe(String field) {
        return switch (field) {
            case "label" -> "channel label";
            case "subdir" -> "subdir";
            default -> "package " + field;
        };
    }

    // Values come from untrusted input; keep messages single-line and short.
    static String printable(String value) {
        StringBuilder out = new StringBuilder();
        int limit = Math.min(value.length(), 240);
        for (int i = 0; i < limit; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (value.length() > limit) {
            out.append("...");
        }
        return out.toString();
    }
}
