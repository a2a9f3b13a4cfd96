package io.wharf.conda.archive;

/**
 * A package file is not something Wharf will accept. {@link #code()} is a stable machine code for API clients
 * ("corrupt_archive", "missing_index_json", "invalid_index_json", "too_large", "too_costly", "cancelled",
 * "unsafe_path", "not_a_conda_package", "empty_file", ...); the message is for people and never names the
 * file that was read, so a caller can put the package's own file name in front of it.
 */
public final class InvalidPackageException extends Exception {
  private final String code;

  public InvalidPackageException(String code, String message) {
    this(code, message, null);
  }

  public InvalidPackageException(String code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
