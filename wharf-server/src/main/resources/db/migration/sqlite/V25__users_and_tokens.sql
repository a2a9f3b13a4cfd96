-- Users, channel roles, tokens and browser sessions. Flags are 0/1 integers so that both engines bind
-- them alike. Secrets are never stored: tokens and session ids only as their SHA-256 (hex), passwords
-- only as an Argon2id hash in PHC string form.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT    NOT NULL,
    password_hash TEXT,
    is_admin      INTEGER NOT NULL DEFAULT 0,
    is_service    INTEGER NOT NULL DEFAULT 0,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER  NOT NULL
);
CREATE UNIQUE INDEX users_name_ci ON users (lower(name));

CREATE TABLE channel_members (
    channel_id INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       TEXT   NOT NULL CHECK (role IN ('VIEWER', 'MAINTAINER', 'OWNER')),
    PRIMARY KEY (channel_id, user_id)
);
CREATE INDEX channel_members_user ON channel_members (user_id);

-- user_id is null only for the bootstrap administrator token. scoped = 1 with no scope rows left (their
-- channels were deleted) means the token reaches nothing, never everything.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    prefix       TEXT    NOT NULL,
    secret_hash  TEXT    NOT NULL,
    permission   TEXT    NOT NULL CHECK (permission IN ('READ', 'WRITE', 'MANAGE')),
    scoped       INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER  NOT NULL,
    expires_at   INTEGER,
    last_used_at INTEGER,
    revoked_at   INTEGER
);
CREATE UNIQUE INDEX api_tokens_secret_hash ON api_tokens (secret_hash);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE token_scopes (
    token_id   INTEGER NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
    channel_id INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    label      TEXT
);
CREATE INDEX token_scopes_token ON token_scopes (token_id);

CREATE TABLE sessions (
    id_hash    VARCHAR(64) PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf       TEXT   NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
