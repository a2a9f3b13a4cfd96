-- Statements here must run unchanged on SQLite and PostgreSQL.

-- Channel names are unique regardless of case ("Conda-Forge" and "conda-forge" would share URLs).
CREATE UNIQUE INDEX channels_name_ci ON channels (lower(name));

-- One file per location; the leading channel_id also serves the foreign key.
CREATE UNIQUE INDEX package_files_location ON package_files (channel_id, label, subdir, filename);
CREATE INDEX package_files_channel_name ON package_files (channel_id, name);
-- Answers "is this blob still referenced?" before a blob is removed.
CREATE INDEX package_files_blob_key ON package_files (blob_key);

CREATE TABLE settings (
    name  VARCHAR(200) PRIMARY KEY,
    value TEXT NOT NULL
);
