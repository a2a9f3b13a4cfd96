package io.wharf.conda.pkg;

/**
 * A package name, version, build, subdir, label or filename that breaks the CEP 26 / CEP 33 rules.
 * {@link #field()} says which part was wrong, {@link #value()} holds the offending text.
 */
public final class InvalidNameException extends IllegalArgumentException {

    private final String field;
    private final String value;

    public InvalidNameException(String field, String value, String message) {
        super(message);
        this.field = field;
        this.value = value;
    }

    public String field() {
        return field;
    }

    public String value() {
        return value;
    }
}
