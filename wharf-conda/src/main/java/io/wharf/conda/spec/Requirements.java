package io.wharf.conda.spec;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.conda.version.InvalidVersionException;
import io.wharf.conda.version.Version;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a repodata record requires, and whether a requirement lets a given package in, with conda's
 * MatchSpec semantics (CEP 29). {@code depends} must be installed alongside; {@code constrains}
 * (conda's {@code run_constrained}) only restricts a package if something else brings it in.
 */
public final class Requirements {

    private Requirements() {
    }

    /**
     * The record's {@code depends}, then its {@code constrains}, each in record order. Entries that
     * are not strings cannot be specs and are left out; a missing or non-array field has none.
     */
    public static List<Requirement> requirements(JsonNode record) {
        List<Requirement> out = new ArrayList<>();
        for (String kind : List.of(Requirement.DEPENDS, Requirement.CONSTRAINS)) {
            JsonNode specs = record == null ? null : record.get(kind);
            if (specs == null || !specs.isArray()) {
                continue;
            }
            for (JsonNode spec : specs) {
                if (spec.isTextual()) {
                    out.add(requirement(kind, spec.asText()));
                }
            }
        }
        return out;
    }

    static Requirement requirement(String kind, String spec) {
        String name = MatchSpec.nameOf(spec);
        boolean virtual = name.startsWith("__");
        try {
            MatchSpec parsed = MatchSpec.parse(spec);
            return new Requirement(kind, spec, name, virtual, parsed.version().map(Object::toString),
                    parsed.build().map(Object::toString), true);
        } catch (IllegalArgumentException e) {
            return new Requirement(kind, spec, name, virtual, Optional.empty(), Optional.empty(), false);
        }
    }

    /**
     * Whether {@code spec} admits the package {@code name} at {@code version} with {@code build}
     * ({@code build} may be null when only a version is asked about). A single failing part gives
     * {@link Admits#NO}, since the parts of a spec are all required. Otherwise the answer is
     * {@link Admits#UNKNOWN} when the spec does not parse, the version does not parse while the spec
     * constrains it, the spec constrains the build and none was given, or the spec carries bracket
     * keys this check does not evaluate ({@code build_number}, {@code md5}, ...). A channel or subdir
     * in the spec is not checked: where the candidate comes from is the caller's to decide.
     */
    public static Admits admits(String spec, String name, String version, String build) {
        MatchSpec parsed;
        try {
            parsed = MatchSpec.parse(spec);
        } catch (IllegalArgumentException e) {
            return Admits.UNKNOWN;
        }
        if (name == null || !parsed.nameMatches(name.toLowerCase(Locale.ROOT))) {
            return Admits.NO;
        }
        boolean unknown = !parsed.keywords().isEmpty();
        if (parsed.version().isPresent()) {
            Admits versionAdmits = versionAdmits(parsed.version().get(), version);
            if (versionAdmits == Admits.NO) {
                return Admits.NO;
            }
            unknown |= versionAdmits == Admits.UNKNOWN;
        }
        if (parsed.build().isPresent()) {
            if (build == null) {
                unknown = true;
            } else if (!parsed.build().get().matches(build)) {
                return Admits.NO;
            }
        }
        return unknown ? Admits.UNKNOWN : Admits.YES;
    }

    /**
     * Whether every one of {@code specs} admits the package: a record may name one package in several
     * specs ({@code openssl 1.0.*} next to {@code openssl >=1.0.2n,<1.0.3a}), and conda requires all
     * of them. {@link Admits#NO} if any says no, else {@link Admits#UNKNOWN} if any is unsure; no
     * specs at all restrict nothing.
     */
    public static Admits admitsAll(Collection<String> specs, String name, String version, String build) {
        Admits result = Admits.YES;
        for (String spec : specs) {
            Admits one = admits(spec, name, version, build);
            if (one == Admits.NO) {
                return Admits.NO;
            }
            if (one == Admits.UNKNOWN) {
                result = Admits.UNKNOWN;
            }
        }
        return result;
    }

    private static Admits versionAdmits(VersionSpec spec, String version) {
        if (version == null) {
            return Admits.UNKNOWN;
        }
        try {
            return spec.matches(Version.parse(version)) ? Admits.YES : Admits.NO;
        } catch (InvalidVersionException e) {
            return Admits.UNKNOWN;
        }
    }
}
