-- Mirror runs as background jobs (issue 11). A job may carry a singleton key: at most one queued or running
-- job holds a key at a time (the partial unique index), so two requests or two nodes' schedulers cannot
-- both queue a run of one mirror. A mirror may run on a schedule: every_seconds (null: only when asked) and
-- next_run_at, which a node's scheduler advances with a conditional UPDATE before it queues the run. A run
-- in the history names the job that made it.
ALTER TABLE jobs ADD COLUMN singleton_key TEXT;
CREATE UNIQUE INDEX jobs_singleton ON jobs (singleton_key) WHERE state IN ('queued', 'running');
ALTER TABLE mirrors ADD COLUMN every_seconds BIGINT;
ALTER TABLE mirrors ADD COLUMN next_run_at BIGINT;
ALTER TABLE mirror_runs ADD COLUMN job_id BIGINT;
