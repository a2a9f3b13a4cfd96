package io.wharf.server.logging;

import java.util.regex.Pattern;

/**
 * Keeps credentials out of log text. Conda clients put their token in the path ({@code /t/<token>/conda/...}),
 * so a logged path or an exception message quoting one would hand the token to anyone who reads the log; a
 * query parameter named like a token ({@code ?token=}, {@code access_token=}) and the credential after
 * {@code Bearer} (or an {@code Authorization: Basic} header) are blanked for the same reason. Every log line goes through this at the
 * layout, whoever logged it; the web layer also redacts what it logs itself.
 */
public final class Redaction {
  public static final String PATH_REPLACEMENT = "/t/<token>";
  public static final String REDACTED = "<redacted>";
  private static final Pattern PATH_TOKEN = Pattern.compile("/t/[^/\\s?#\"]+");
  private static final Pattern QUERY_TOKEN =
      Pattern.compile("(?i)([?&][^=&#\\s]*(?:token|password|secret)[^=&#\\s]*=)[^&#\\s\"]*");
  private static final Pattern AUTH_SCHEME =
      Pattern.compile("(?i)(\\bBearer|Authorization:\\s*Basic)\\s+[A-Za-z0-9._~+/=-]{8,}");

  private Redaction() {}

  /** The text with every path token, token-like query value and header credential replaced. */
  public static String text(String s) {
    if (s == null) {
      return null;
    }
    String out = PATH_TOKEN.matcher(s).replaceAll(PATH_REPLACEMENT);
    out = QUERY_TOKEN.matcher(out).replaceAll("$1" + REDACTED);
    return AUTH_SCHEME.matcher(out).replaceAll("$1 " + REDACTED);
  }
}
