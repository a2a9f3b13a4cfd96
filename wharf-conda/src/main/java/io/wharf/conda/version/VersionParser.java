package io.wharf.conda.version;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a version string into segments of components, following conda's
 * {@code conda/models/version.py} VersionOrder and CEP 33. Lenient like conda (uppercase is
 * folded, '-' stands for '_' when there is no '_'), because it must read third-party repodata;
 * strict upload validation lives in {@code io.wharf.conda.pkg.Names}.
 */
final class VersionParser {

    // Far above CEP 26's 64 characters, yet bounds the work done on hostile input.
    static final int MAX_LENGTH = 1024;

    record Parsed(String normalized, List<List<Component>> main, List<List<Component>> local) {
    }

    private VersionParser() {
    }

    static Parsed parse(String text) {
        if (text == null) {
            throw new InvalidVersionException(null, "version is missing");
        }
        if (text.length() > MAX_LENGTH) {
            throw new InvalidVersionException(text, "longer than " + MAX_LENGTH + " characters");
        }
        String version = text.strip().toLowerCase(Locale.ROOT);
        if (version.isEmpty()) {
            throw new InvalidVersionException(text, "empty version string");
        }
        if (!validChars(version) && version.indexOf('-') >= 0 && version.indexOf('_') < 0) {
            version = version.replace('-', '_');
        }
        if (!validChars(version)) {
            throw new InvalidVersionException(text, "only letters, digits, '.', '_', '+' and '!' are allowed");
        }

        String rest = version;
        String epoch = "0";
        int bang = rest.indexOf('!');
        if (bang >= 0) {
            epoch = rest.substring(0, bang);
            rest = rest.substring(bang + 1);
            if (rest.indexOf('!') >= 0) {
                throw new InvalidVersionException(text, "duplicated epoch separator '!'");
            }
            if (epoch.isEmpty() || !epoch.chars().allMatch(VersionParser::isDigit)) {
                throw new InvalidVersionException(text, "epoch must be an integer");
            }
        }
        List<String> localParts = List.of();
        int plus = rest.indexOf('+');
        if (plus >= 0) {
            String local = rest.substring(plus + 1);
            rest = rest.substring(0, plus);
            if (local.indexOf('+') >= 0) {
                throw new InvalidVersionException(text, "duplicated local version separator '+'");
            }
            localParts = split(local);
        }
        if (rest.isEmpty()) {
            throw new InvalidVersionException(text, "missing version before the local or epoch part");
        }

        List<String> mainParts;
        if (rest.endsWith("_")) {
            // openssl convention (CEP 33): a trailing '_' belongs to the last component, so that
            // 1.0.1_ sorts after 1.0.1 and before 1.0.1a.
            mainParts = new ArrayList<>(split(rest.substring(0, rest.length() - 1)));
            int last = mainParts.size() - 1;
            mainParts.set(last, mainParts.get(last) + "_");
        } else {
            mainParts = split(rest);
        }

        List<List<Component>> main = new ArrayList<>();
        main.add(segment(text, epoch));
        for (String part : mainParts) {
            main.add(segment(text, part));
        }
        List<List<Component>> local = new ArrayList<>();
        for (String part : localParts) {
            local.add(segment(text, part));
        }
        return new Parsed(version, List.copyOf(main), List.copyOf(local));
    }

    private static List<String> split(String part) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= part.length(); i++) {
            if (i == part.length() || part.charAt(i) == '.' || part.charAt(i) == '_') {
                out.add(part.substring(start, i));
                start = i + 1;
            }
        }
        return out;
    }

    private static List<Component> segment(String text, String part) {
        if (part.isEmpty()) {
            throw new InvalidVersionException(text, "empty version component");
        }
        List<Component> out = new ArrayList<>();
        if (!isDigit(part.charAt(0))) {
            // Keeps numbers and strings in phase: 1.1.a1 == 1.1.0a1.
            out.add(Component.ZERO);
        }
        int i = 0;
        while (i < part.length()) {
            boolean digits = isDigit(part.charAt(i));
            int j = i;
            while (j < part.length() && isDigit(part.charAt(j)) == digits) {
                j++;
            }
            String run = part.substring(i, j);
            if (digits) {
                out.add(Component.Num.of(run));
            } else if (run.equals("post")) {
                out.add(new Component.Post());
            } else if (run.equals("dev")) {
                out.add(new Component.Str("DEV"));
            } else {
                out.add(new Component.Str(run));
            }
            i = j;
        }
        return List.copyOf(out);
    }

    private static boolean validChars(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = isDigit(c) || (c >= 'a' && c <= 'z') || c == '.' || c == '_' || c == '+' || c == '!';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }
}
