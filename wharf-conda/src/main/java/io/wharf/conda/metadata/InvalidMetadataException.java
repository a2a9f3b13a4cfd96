package io.wharf.conda.metadata;

/**
 * A metadata file inside a package could not be parsed. {@link #code()} is a stable machine code such as
 * {@code invalid_index_json}; archive readers pass it on unchanged.
 */
public final class InvalidMetadataException extends Exception {
  private final String code;

  public InvalidMetadataException(String code, String message) {
    this(code, message, null);
  }

  public InvalidMetadataException(String code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
