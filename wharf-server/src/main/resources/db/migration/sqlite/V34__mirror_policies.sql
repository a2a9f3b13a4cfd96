-- Mirror policies (issue 11): a named set of filters deciding which upstream records a mirror takes in.
-- The filters are kept as one JSON object (see PolicyFilters), read and checked by the server.
CREATE TABLE policies (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT    NOT NULL UNIQUE,
    description  TEXT,
    filters_json TEXT   NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER  NOT NULL
);

-- The policy of a mirror (at most one), and whether files it newly excludes are removed from the mirror's
-- label on the next run. A table of its own so that the mirror rows stay as they are.
CREATE TABLE mirror_policies (
    mirror_id       INTEGER NOT NULL PRIMARY KEY REFERENCES mirrors (id) ON DELETE CASCADE,
    policy_id       INTEGER NOT NULL REFERENCES policies (id),
    remove_excluded INTEGER NOT NULL
);
CREATE INDEX mirror_policies_policy ON mirror_policies (policy_id);
