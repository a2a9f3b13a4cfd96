package io.wharf.conda.repodata;

/**
 * Patch instructions that cannot be applied: not JSON, not the documented shape, an unsupported
 * version, or a patch of a field that describes the file. {@link #code()} is a stable machine code.
 */
public final class InvalidPatchException extends IllegalArgumentException {
  private final String code;

  public InvalidPatchException(String code, String message) {
    super(message);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
