package io.wharf.conda.pkg;

import java.util.Objects;

/**
 * {@code <name>-<version>-<build>.<ext>} (CEP 26). Parsed by cutting the extension and splitting
 * from the right on '-' twice, because names may contain '-' while versions and builds may not.
 */
public record PackageFilename(String name, String version, String build, PackageFormat format) {

    static final int MAX_FILENAME = 211;

    public PackageFilename {
        Names.requireName(name);
        Names.requireVersion(version);
        Names.requireBuild(build);
        Objects.requireNonNull(format, "format");
        String filename = name + "-" + version + "-" + build + format.extension();
        if (filename.length() > MAX_FILENAME) {
            throw Names.invalid("filename", filename, "is " + filename.length()
                    + " characters long; at most " + MAX_FILENAME + " are allowed");
        }
    }

    public static PackageFilename parse(String filename) {
        if (filename == null || filename.isEmpty()) {
            throw new InvalidNameException("filename", "", "The package filename must not be empty.");
        }
        // Checked before anything else: the value may be used to build a storage path.
        if (filename.length() > MAX_FILENAME) {
            throw Names.invalid("filename", filename, "is " + filename.length()
                    + " characters long; at most " + MAX_FILENAME + " are allowed");
        }
        for (int i = 0; i < filename.length(); i++) {
            char c = filename.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw Names.invalid("filename", filename, "contains a control character");
            }
            if (c == '/' || c == '\\') {
                throw Names.invalid("filename", filename, "contains a path separator");
            }
        }
        if (filename.contains("..")) {
            throw Names.invalid("filename", filename, "contains '..'");
        }
        PackageFormat format = PackageFormat.ofFilename(filename).orElseThrow(() -> Names.invalid(
                "filename", filename, "does not end in '.conda' or '.tar.bz2'"));
        String stem = filename.substring(0, filename.length() - format.extension().length());
        int buildDash = stem.lastIndexOf('-');
        int versionDash = buildDash <= 0 ? -1 : stem.lastIndexOf('-', buildDash - 1);
        if (versionDash <= 0) {
            throw Names.invalid("filename", filename, "is not of the form <name>-<version>-<build>"
                    + format.extension());
        }
        return new PackageFilename(stem.substring(0, versionDash),
                stem.substring(versionDash + 1, buildDash), stem.substring(buildDash + 1), format);
    }

    /** {@code name-version-build}, the distribution string without extension. */
    public String stem() {
        return name + "-" + version + "-" + build;
    }

    public String filename() {
        return stem() + format.extension();
    }

    @Override
    public String toString() {
        return filename();
    }
}
