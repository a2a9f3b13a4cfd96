-- Background jobs shared by every node. A node claims a job by taking its lease (lease_owner, lease_until)
-- with a conditional UPDATE; while it works it renews the lease and writes progress. A job whose lease ran
-- out (its node crashed or stopped) is claimed again by any node. attempt counts claims and fences a node
-- whose lease was taken over: its writes name the attempt and find no row. Timestamps are epoch
-- milliseconds as elsewhere.
CREATE TABLE jobs (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    kind          TEXT    NOT NULL,
    params_json   TEXT    NOT NULL,
    state         TEXT    NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed')),
    created_by    TEXT    NOT NULL,      -- display name of who asked
    creator_id    INTEGER,               -- the user who asked; null for the bootstrap token and the system
    created_at    INTEGER NOT NULL,
    started_at    INTEGER,
    finished_at   INTEGER,
    phase         TEXT,
    progress_json TEXT    NOT NULL,      -- named counters, e.g. {"read": 10, "added": 4}
    result_json   TEXT,
    error_code    TEXT,
    error_message TEXT,
    attempt       INTEGER NOT NULL DEFAULT 0,
    lease_owner   TEXT,
    lease_until   INTEGER
);
CREATE INDEX jobs_claimable ON jobs (state, lease_until);
CREATE INDEX jobs_creator ON jobs (creator_id, id);

-- Input a job reads (an uploaded document), in chunks, so that whichever node claims the job can read it.
CREATE TABLE job_inputs (
    job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    seq    INTEGER NOT NULL,
    data   BLOB    NOT NULL,
    PRIMARY KEY (job_id, seq)
);
