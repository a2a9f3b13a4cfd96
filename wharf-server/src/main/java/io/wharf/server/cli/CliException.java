package io.wharf.server.cli;

/** A failure the CLI reports as one line and a non-zero exit. */
class CliException extends RuntimeException {
  CliException(String message) {
    super(message);
  }
}
