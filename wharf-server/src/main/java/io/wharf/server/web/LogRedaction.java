package io.wharf.server.web;

import io.wharf.server.logging.Redaction;

/**
 * Keeps tokens out of what the web layer logs (the rules are {@link Redaction}'s): the access log's paths
 * and referers, and exceptions before they are handed to a logger, whose chain is copied with redacted
 * messages. Credentials in headers are never logged at all.
 */
final class LogRedaction {
  static final String REPLACEMENT = Redaction.PATH_REPLACEMENT;
  static final String REDACTED = Redaction.REDACTED;

  private LogRedaction() {}

  static String text(String s) {
    return Redaction.text(s);
  }

  /**
   * The throwable itself when no message in its chain holds a path token; otherwise a copy of the chain
   * with the same classes' names, redacted messages and the same stack frames.
   */
  static Throwable throwable(Throwable t) {
    if (!mentionsToken(t)) {
      return t;
    }
    Redacted copy = new Redacted(t.getClass().getName()
        + (t.getMessage() == null ? "" : ": " + text(t.getMessage())), throwable(t.getCause()));
    copy.setStackTrace(t.getStackTrace());
    return copy;
  }

  private static boolean mentionsToken(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c.getMessage() != null && !c.getMessage().equals(text(c.getMessage()))) {
        return true;
      }
    }
    return false;
  }

  /** Prints as the original would: its text already starts with the original class name. */
  private static final class Redacted extends RuntimeException {
    Redacted(String text, Throwable cause) {
      super(text, cause);
    }

    @Override
    public String toString() {
      return getMessage();
    }
  }
}
