package io.wharf.server.cli;

/** A refusal the server answered: its HTTP status, its error code (null if it sent none) and its sentence. */
final class ApiError extends CliException {
  private final int status;
  private final String code;
  private final String text;
  private final com.fasterxml.jackson.databind.JsonNode details;

  ApiError(int status, String code, String text) {
    this(status, code, text, null);
  }

  ApiError(int status, String code, String text, com.fasterxml.jackson.databind.JsonNode details) {
    super(text + " (HTTP " + status + ")");
    this.status = status;
    this.code = code;
    this.text = text;
    this.details = details == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : details;
  }

  /** The {@code details} object of the server's answer (a missing node when it sent none). */
  com.fasterxml.jackson.databind.JsonNode details() {
    return details;
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
    return new ApiError(status, code, newText, details);
  }
}
