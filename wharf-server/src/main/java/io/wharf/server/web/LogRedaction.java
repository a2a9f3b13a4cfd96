package io.wharf.server.web;

import java.util.regex.Pattern;

/**
 * Keeps tokens out of log lines. Conda clients put their token in the path ({@code /t/<token>/conda/...}),
 * so a logged path or an exception message quoting one would hand the token to anyone who reads the log;
 * a query parameter named like a token ({@code ?token=}, {@code access_token=}) is blanked for the same
 * reason, and credentials in headers are never logged at all.
 */
final class LogRedaction {
  static final String REPLACEMENT = "/t/<token>";
  static final String REDACTED = "<redacted>";
  private static final Pattern PATH_TOKEN = Pattern.compile("/t/[^/\\s?#]+");
  private static final Pattern QUERY_TOKEN =
      Pattern.compile("(?i)([?&][^=&#\\s]*(?:token|password|secret)[^=&#\\s]*=)[^&#\\s]*");

  private LogRedaction() {}

  static String text(String s) {
    return s == null ? null
        : QUERY_TOKEN.matcher(PATH_TOKEN.matcher(s).replaceAll(REPLACEMENT)).replaceAll("$1" + REDACTED);
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
