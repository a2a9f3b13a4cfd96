package io.wharf.conda.pkg;

import java.util.Optional;

/** The two artifact formats (CEP 35): v2 {@code .conda} and v1 {@code .tar.bz2}. */
public enum PackageFormat {
    CONDA(".conda", "packages.conda"),
    TAR_BZ2(".tar.bz2", "packages");

    private final String extension;
    private final String repodataKey;

    PackageFormat(String extension, String repodataKey) {
        this.extension = extension;
        this.repodataKey = repodataKey;
    }

    public String extension() {
        return extension;
    }

    /** The top-level repodata.json map that holds records of this format. */
    public String repodataKey() {
        return repodataKey;
    }

    /** The format whose extension ends the filename (case-sensitive, as clients and CEP 26 are). */
    public static Optional<PackageFormat> ofFilename(String filename) {
        if (filename == null) {
            return Optional.empty();
        }
        for (PackageFormat format : values()) {
            if (filename.endsWith(format.extension) && filename.length() > format.extension.length()) {
                return Optional.of(format);
            }
        }
        return Optional.empty();
    }
}
