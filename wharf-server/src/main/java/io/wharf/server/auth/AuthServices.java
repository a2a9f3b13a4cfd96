package io.wharf.server.auth;

/** Everything the web layer needs to know who asks and what they may do. */
public record AuthServices(Authenticator authenticator, ChannelAccess channels, UserService users,
    TokenService tokens, MemberService members) {}
