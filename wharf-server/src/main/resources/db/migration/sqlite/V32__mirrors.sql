-- Mirrors of upstream conda channels (issue 11). A mirror copies an upstream channel's records into
-- one channel label; its runs keep a history with counts.
CREATE TABLE mirrors (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT    NOT NULL UNIQUE,
    channel_id     INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    label          TEXT    NOT NULL,
    upstream_url   TEXT    NOT NULL,
    mode           TEXT    NOT NULL CHECK (mode IN ('active', 'passive')),
    subdirs        TEXT    NOT NULL,
    remove_deleted INTEGER NOT NULL,
    -- AES-GCM sealed JSON of the upstream credentials, base64; null when there are none.
    credentials    TEXT,
    created_at     INTEGER NOT NULL
);

CREATE TABLE mirror_runs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    mirror_id   INTEGER NOT NULL REFERENCES mirrors (id) ON DELETE CASCADE,
    started_at  INTEGER NOT NULL,
    finished_at INTEGER,
    status      TEXT    NOT NULL,
    files       INTEGER NOT NULL,
    bytes       INTEGER NOT NULL,
    errors      INTEGER NOT NULL,
    removed     INTEGER NOT NULL,
    message     TEXT
);
CREATE INDEX mirror_runs_mirror ON mirror_runs (mirror_id, id);

-- The validators of the last repodata a run took in completely, for conditional requests.
CREATE TABLE mirror_subdirs (
    mirror_id     INTEGER NOT NULL REFERENCES mirrors (id) ON DELETE CASCADE,
    subdir        TEXT    NOT NULL,
    etag          TEXT,
    last_modified TEXT,
    PRIMARY KEY (mirror_id, subdir)
);

-- What a mirror wrote: the digest of each record text, so a later run writes only new or changed
-- records and a run that stopped half-way resumes after the files it finished. Upstream signatures
-- of the record (repodata "signatures", conda-content-trust) are kept as upstream gave them.
CREATE TABLE mirror_records (
    mirror_id       INTEGER NOT NULL REFERENCES mirrors (id) ON DELETE CASCADE,
    subdir          TEXT    NOT NULL,
    filename        TEXT    NOT NULL,
    record_sha256   TEXT    NOT NULL,
    sha256          TEXT    NOT NULL,
    signatures_json TEXT,
    PRIMARY KEY (mirror_id, subdir, filename)
);

-- Package bytes that are not here yet (passive mirrors): where to fetch them the first time a client
-- asks. A row leaves when its bytes are stored.
CREATE TABLE passive_blobs (
    sha256    TEXT    NOT NULL,
    mirror_id INTEGER NOT NULL REFERENCES mirrors (id) ON DELETE CASCADE,
    url       TEXT    NOT NULL,
    size      INTEGER NOT NULL,
    PRIMARY KEY (sha256, mirror_id)
);
