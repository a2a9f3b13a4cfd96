package io.wharf.server.auth;

import java.time.Instant;

/**
 * A local account. A service account has no password and acts only through its tokens.
 *
 * @param passwordHash Argon2id hash in PHC form, null for service accounts
 */
public record User(long id, String name, String passwordHash, boolean admin, boolean service, boolean disabled,
    Instant createdAt) {}
