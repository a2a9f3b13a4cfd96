package io.wharf.conda.spec;

import java.util.Optional;

/**
 * One entry of a record's {@code depends} or {@code constrains}. {@code name} is what the spec names
 * ({@link MatchSpec#nameOf}), so it is known even when the rest cannot be parsed; {@code versionSpec}
 * and {@code buildSpec} are the normalized parsed parts and are empty when the spec leaves them open
 * or is not {@code parsable}. Virtual packages ({@code __glibc}, {@code __osx}, {@code __cuda}) are
 * provided by the installing system, never by a channel.
 */
public record Requirement(String kind, String spec, String name, boolean virtual, Optional<String> versionSpec,
        Optional<String> buildSpec, boolean parsable) {

    public static final String DEPENDS = "depends";
    public static final String CONSTRAINS = "constrains";
}
