package io.wharf.server.ui;

import java.util.List;

/** Models of the account pages: sign-in, tokens, users, channel settings. */
public final class AccountPages {
  private AccountPages() {}

  /** {@code csrf}: the pre-session token the form carries back (its twin is in a cookie). */
  public record SignIn(String error, String next, String csrf, String user) {}

  public record TokenRow(long id, String name, String owner, String prefix, String permission, String scope,
      String expires, String lastUsed, boolean revoked) {}

  /** {@code secret}: the token just created, shown this once; null otherwise. */
  public record Tokens(List<TokenRow> tokens, String secret, String error, int defaultDays, int maxDays) {}

  public record UserRow(String name, boolean admin, boolean service, boolean disabled, String created) {}

  public record Users(List<UserRow> users, String error) {}

  public record MemberRow(String user, String role) {}

  public record ChannelSettings(String channel, List<Pages.Option> privacy, List<MemberRow> members,
      List<Pages.Option> roles, String error) {}
}
