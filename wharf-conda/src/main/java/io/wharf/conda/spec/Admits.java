package io.wharf.conda.spec;

/** Whether a dependency spec lets a given package in; see {@link Requirements#admits}. */
public enum Admits {
    YES,
    NO,
    /** The spec or the version cannot be parsed, or the spec constrains something not given. */
    UNKNOWN
}
