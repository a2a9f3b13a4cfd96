-- What a mirror's policy kept out in a run, per filter: a JSON object {"<filter>": count} (null for runs
-- made before it was recorded), so the run history says why files were left upstream.
ALTER TABLE mirror_runs ADD COLUMN excluded_json TEXT;
