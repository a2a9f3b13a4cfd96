-- Completed package downloads, per served file and UTC day. A row is keyed by where the file was served
-- (channel, subchannel, subdir, filename), not by a package_files row: the hot path knows only the URL, and
-- the history of a filename outlives a removal and re-upload of that file. Each node adds its own
-- increments (INSERT ... ON CONFLICT DO UPDATE SET downloads = downloads + excluded.downloads), so several
-- nodes sharing one database never overwrite each other. name and version come from the filename (CEP 26)
-- and serve the per-package and per-version sums. No reference to channels: a flush that races a channel
-- removal must not fail the whole batch; ids are never reused (identity columns), and the rows of a removed
-- channel are deleted when it goes.
CREATE TABLE download_counts (
    channel_id BIGINT  NOT NULL,
    label      TEXT    NOT NULL,
    subdir     TEXT    NOT NULL,
    filename   TEXT    NOT NULL,
    day        BIGINT  NOT NULL, -- days since 1970-01-01, UTC
    name       TEXT    NOT NULL,
    version    TEXT    NOT NULL,
    downloads  BIGINT  NOT NULL CHECK (downloads >= 0),
    PRIMARY KEY (channel_id, label, subdir, filename, day)
);
CREATE INDEX download_counts_package ON download_counts (channel_id, name, day);
