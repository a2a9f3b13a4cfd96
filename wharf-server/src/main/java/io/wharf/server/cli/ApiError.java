package io.wharf.server.cli;

/** A refusal the server answered: its HTTP status, its error code (null if it sent none) and its sentence. */
final class ApiError extends CliException {
  private final int status;
  private final String code;
  private final String text;

  ApiError(int status, String code, String text) {
    super(text + " (HTTP " + status + ")");
    this.status = status;
    this.code = code;
    this.text = text;
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }

  /** The sentence without the status. */
  String text() {
    return text;
  }

  /** The same refusal in other words, e.g. a hint that names a CLI flag instead of an API parameter. */
  ApiError reworded(String newText) {
    return new ApiError(status, code, newText);
  }
}
