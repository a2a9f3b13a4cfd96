package io.wharf.conda.spec;

import io.wharf.conda.pkg.Subdirs;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Parses MatchSpec strings following CEP 29 and conda's {@code conda/models/match_spec.py}:
 * bracket section, {@code channel[/subdir]::} prefix, name, then version and build separated by
 * spaces or by single '=' characters.
 */
final class MatchSpecParser {

    static final int MAX_LENGTH = 4096;
    private static final String NAME_STOP = "<>=!~;[";
    private static final String BUILD_FORBIDDEN = "-=,|<>~";
    private static final String OPERATOR_CHARS = "=!|,<>~";

    private MatchSpecParser() {
    }

    static int nameEnd(String s, int start) {
        int i = start;
        while (i < s.length() && !Character.isWhitespace(s.charAt(i)) && NAME_STOP.indexOf(s.charAt(i)) < 0) {
            i++;
        }
        return i;
    }

    static MatchSpec parse(String original) {
        if (original == null) {
            throw new InvalidSpecException(null, "spec is missing");
        }
        if (original.length() > MAX_LENGTH) {
            throw new InvalidSpecException(original, "longer than " + MAX_LENGTH + " characters");
        }
        String s = original;
        int comment = s.indexOf('#');
        if (comment >= 0) {
            s = s.substring(0, comment);
        }
        s = s.strip();
        if (s.isEmpty()) {
            throw new InvalidSpecException(original, "empty spec");
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i)) && !Character.isWhitespace(s.charAt(i))) {
                throw new InvalidSpecException(original, "contains a control character");
            }
        }

        Map<String, String> keywords = new LinkedHashMap<>();
        int open = s.indexOf('[');
        if (open >= 0) {
            if (!s.endsWith("]")) {
                throw new InvalidSpecException(original, "the [key=value] section must close with ']' at the end");
            }
            BracketParser.parse(original, s.substring(open + 1, s.length() - 1), keywords);
            s = s.substring(0, open).strip();
        }

        String channel = null;
        String subdir = null;
        int channelEnd = s.lastIndexOf("::");
        if (channelEnd >= 0) {
            String[] channelAndSubdir = splitChannel(s.substring(0, channelEnd));
            channel = channelAndSubdir[0];
            subdir = channelAndSubdir[1];
            s = s.substring(channelEnd + 2).strip();
        }
        String bracketChannel = keywords.remove("channel");
        if (bracketChannel != null) {
            String[] channelAndSubdir = splitChannel(bracketChannel);
            channel = channelAndSubdir[0] != null ? channelAndSubdir[0] : channel;
            subdir = channelAndSubdir[1] != null ? channelAndSubdir[1] : subdir;
        }
        String bracketSubdir = keywords.remove("subdir");
        if (bracketSubdir != null) {
            subdir = bracketSubdir;
        }

        int end = nameEnd(s, 0);
        String name = s.substring(0, end).toLowerCase(Locale.ROOT);
        requireName(original, name);
        // CEP 29: a name given in brackets is ignored, so that a spec cannot pose as another package.
        keywords.remove("name");

        String versionText = null;
        String buildText = null;
        String rest = s.substring(end).strip();
        if (!rest.isEmpty()) {
            String[] versionAndBuild = splitVersionAndBuild(rest);
            versionText = versionAndBuild[0];
            buildText = versionAndBuild[1];
        }
        String bracketVersion = keywords.remove("version");
        if (bracketVersion != null) {
            versionText = bracketVersion;
        }
        String bracketBuild = keywords.remove("build");
        if (bracketBuild != null) {
            buildText = bracketBuild;
        }

        VersionSpec version = versionText == null ? null : parseVersion(original, versionText);
        BuildSpec build = buildText == null ? null : parseBuild(original, buildText);
        return new MatchSpec(original, name, version, build, channel, subdir, keywords);
    }

    private static void requireName(String original, String name) {
        if (name.isEmpty()) {
            throw new InvalidSpecException(original, "no package name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "._-*".indexOf(c) >= 0)) {
                throw new InvalidSpecException(original, "unexpected character '" + c + "' in package name");
            }
        }
    }

    /** CEP 29: only a known subdir after the last '/' is a subdir; otherwise it is part of the channel. */
    private static String[] splitChannel(String text) {
        String channel = text.strip();
        String subdir = null;
        int slash = channel.lastIndexOf('/');
        if (slash > 0 && Subdirs.isKnown(channel.substring(slash + 1))) {
            subdir = channel.substring(slash + 1);
            channel = channel.substring(0, slash);
        }
        if (channel.isEmpty() || channel.equals("*")) {
            channel = null;
        }
        return new String[] {channel, subdir};
    }

    /**
     * The build is the last token after a space or '=', provided the character before that
     * separator is not part of an operator and the token holds no operator characters (conda's
     * {@code _VERSION_BUILD_RE}).
     */
    static String[] splitVersionAndBuild(String rest) {
        int sep = -1;
        for (int i = rest.length() - 1; i >= 0; i--) {
            char c = rest.charAt(i);
            if (c == '=' || Character.isWhitespace(c)) {
                sep = i;
                break;
            }
        }
        if (sep <= 0 || sep == rest.length() - 1) {
            return new String[] {rest, null};
        }
        String build = rest.substring(sep + 1);
        char before = rest.charAt(sep - 1);
        boolean buildOk = build.chars().noneMatch(c -> BUILD_FORBIDDEN.indexOf(c) >= 0);
        if (!buildOk || OPERATOR_CHARS.indexOf(before) >= 0) {
            return new String[] {rest, null};
        }
        String version = rest.substring(0, sep).strip();
        // CEP 29: with '=' separators (name=1.8=build) the version is exact; with spaces
        // (name =1.8 build) the '=' is the fuzzy operator and stays.
        if (rest.charAt(sep) == '=' && version.startsWith("=") && !version.startsWith("==")
                && version.indexOf(',') < 0 && version.indexOf('|') < 0) {
            version = "==" + version.substring(1);
        }
        return new String[] {version, build};
    }

    private static VersionSpec parseVersion(String original, String text) {
        try {
            return VersionSpec.parse(text);
        } catch (InvalidSpecException e) {
            throw new InvalidSpecException(original, "bad version '" + text + "': " + e.reason(), e);
        }
    }

    private static BuildSpec parseBuild(String original, String text) {
        try {
            return BuildSpec.parse(text);
        } catch (InvalidSpecException e) {
            throw new InvalidSpecException(original, "bad build '" + text + "': " + e.reason(), e);
        }
    }
}
