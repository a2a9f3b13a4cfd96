package io.wharf.conda.spec;

import io.wharf.conda.version.InvalidVersionException;
import io.wharf.conda.version.Version;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A parsed MatchSpec (CEP 29): {@code [channel[/subdir]::]name[ version[ build]][[key=value,...]]},
 * plus the {@code name=version=build} form. {@link #matches} checks name, version and build;
 * other bracket keys (md5, build_number, ...) are kept in {@link #keywords()} but not evaluated.
 */
public final class MatchSpec {

    private final String original;
    private final String name;
    private final VersionSpec version;
    private final BuildSpec build;
    private final String channel;
    private final String subdir;
    private final Map<String, String> keywords;

    MatchSpec(String original, String name, VersionSpec version, BuildSpec build,
              String channel, String subdir, Map<String, String> keywords) {
        this.original = original;
        this.name = name;
        this.version = version;
        this.build = build;
        this.channel = channel;
        this.subdir = subdir;
        this.keywords = Map.copyOf(keywords);
    }

    public static MatchSpec parse(String spec) {
        return MatchSpecParser.parse(spec);
    }

    /**
     * The package name of a spec without parsing the rest (rattler's {@code scan_matchspec_name}):
     * drop a {@code channel::} prefix, then take everything up to the first whitespace or one of
     * {@code > < = ! ~ ; [}, lowercased. Fast enough to index every depends string of a channel.
     */
    public static String nameOf(String spec) {
        String s = spec.strip();
        int bracket = s.indexOf('[');
        int channelEnd = (bracket < 0 ? s : s.substring(0, bracket)).lastIndexOf("::");
        int start = channelEnd < 0 ? 0 : channelEnd + 2;
        int end = MatchSpecParser.nameEnd(s, start);
        return s.substring(start, end).toLowerCase(Locale.ROOT);
    }

    /** Lowercased; {@code *} (or a glob) when the spec matches any name. */
    public String name() {
        return name;
    }

    public Optional<VersionSpec> version() {
        return Optional.ofNullable(version);
    }

    public Optional<BuildSpec> build() {
        return Optional.ofNullable(build);
    }

    /** Channel name or URL exactly as written, without the subdir. */
    public Optional<String> channel() {
        return Optional.ofNullable(channel);
    }

    public Optional<String> subdir() {
        return Optional.ofNullable(subdir);
    }

    /** Bracket keys other than name, version, build, channel and subdir. */
    public Map<String, String> keywords() {
        return keywords;
    }

    /** Virtual packages ({@code __glibc}, {@code __cuda}...) are provided by the client, never served. */
    public boolean isVirtual() {
        return name.startsWith("__");
    }

    public String original() {
        return original;
    }

    /** Whether a record with this name, version and build satisfies the spec. */
    public boolean matches(String recordName, String recordVersion, String recordBuild) {
        if (recordName == null || !nameMatches(recordName.toLowerCase(Locale.ROOT))) {
            return false;
        }
        if (version != null) {
            try {
                if (recordVersion == null || !version.matches(Version.parse(recordVersion))) {
                    return false;
                }
            } catch (InvalidVersionException e) {
                return false;
            }
        }
        return build == null || build.matches(recordBuild);
    }

    boolean nameMatches(String candidate) {
        return name.indexOf('*') >= 0 ? Glob.matches(name, candidate) : name.equals(candidate);
    }

    /** Normalized, re-parseable text: {@code [channel[/subdir]::]name[ version[ build]][[k='v',...]]}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        if (channel != null) {
            out.append(channel);
            if (subdir != null) {
                out.append('/').append(subdir);
            }
            out.append("::");
        }
        out.append(name);
        boolean buildPositional = build != null && build.toString().chars().noneMatch(Character::isWhitespace);
        if (version != null || buildPositional) {
            out.append(' ').append(version == null ? "*" : version.toString());
        }
        if (buildPositional) {
            out.append(' ').append(build);
        }
        Map<String, String> extra = new java.util.TreeMap<>(keywords);
        if (build != null && !buildPositional) {
            extra.put("build", build.toString());
        }
        if (channel == null && subdir != null) {
            extra.put("subdir", subdir);
        }
        if (!extra.isEmpty()) {
            out.append(extra.entrySet().stream()
                    .map(e -> e.getKey() + "=" + quoted(e.getValue()))
                    .collect(Collectors.joining(",", "[", "]")));
        }
        return out.toString();
    }

    private static String quoted(String value) {
        char quote = value.indexOf('\'') >= 0 ? '"' : '\'';
        return quote + value + quote;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MatchSpec other && toString().equals(other.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
