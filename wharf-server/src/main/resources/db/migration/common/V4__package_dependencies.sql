-- Each depends / constrains entry of a file's repodata record, under the package name it names, so
-- that "what needs X" is an index lookup instead of a parse of every record. Rows are written in the
-- transaction that writes their file and go with it (ON DELETE CASCADE), so they cannot disagree.
CREATE TABLE package_dependencies (
    file_id    BIGINT  NOT NULL REFERENCES package_files (id) ON DELETE CASCADE,
    channel_id BIGINT  NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('depends', 'constrains')),
    dep_name   TEXT    NOT NULL,
    spec       TEXT    NOT NULL,
    position   INTEGER NOT NULL,
    -- Leads with file_id, so it also serves the cascade from package_files.
    PRIMARY KEY (file_id, kind, position)
);
CREATE INDEX package_dependencies_name ON package_dependencies (dep_name, channel_id);
