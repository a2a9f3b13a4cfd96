-- An ordered log of changes, written in the transaction of each change. Every node applies the entries
-- it did not write itself to its published indexes, in order, so nodes stay in step without rebuilding.
CREATE TABLE change_log (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    channel_id INTEGER NOT NULL,
    kind       TEXT    NOT NULL,
    label      TEXT,
    subdir     TEXT,
    name       TEXT,
    created_at INTEGER NOT NULL
);
