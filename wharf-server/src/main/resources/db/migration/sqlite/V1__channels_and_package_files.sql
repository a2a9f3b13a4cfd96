-- Timestamps are epoch milliseconds so both engines store and compare them identically.
-- AUTOINCREMENT keeps ids of deleted rows from being handed out again.
CREATE TABLE channels (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL,
    description TEXT,
    privacy     TEXT    NOT NULL CHECK (privacy IN ('PUBLIC', 'AUTHENTICATED', 'PRIVATE')),
    created_at  INTEGER NOT NULL
);

CREATE TABLE package_files (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    channel_id       INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    label            TEXT    NOT NULL,
    subdir           TEXT    NOT NULL,
    filename         TEXT    NOT NULL,
    name             TEXT    NOT NULL,
    version          TEXT    NOT NULL,
    build            TEXT    NOT NULL,
    build_number     INTEGER NOT NULL,
    md5              TEXT    NOT NULL,
    sha256           TEXT    NOT NULL,
    size             INTEGER NOT NULL,
    blob_key         TEXT    NOT NULL,
    uploaded_at      INTEGER NOT NULL,
    record_json      TEXT    NOT NULL,
    index_json       TEXT    NOT NULL,
    about_json       TEXT,
    run_exports_json TEXT,
    paths_flags_json TEXT
);
