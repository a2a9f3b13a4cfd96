-- An ordered log of changes, written in the transaction of each change. Every node applies the entries
-- it did not write itself to its published indexes, in order, so nodes stay in step without rebuilding.
CREATE TABLE change_log (
    seq        BIGSERIAL PRIMARY KEY,
    channel_id BIGINT    NOT NULL,
    kind       TEXT      NOT NULL,
    label      TEXT,
    subdir     TEXT,
    name       TEXT,
    created_at BIGINT    NOT NULL
);
