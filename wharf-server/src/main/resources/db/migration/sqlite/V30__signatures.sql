-- Package signatures compatible with conda-content-trust (CONDA.md §6; CEP 36 Appendix A).
-- The signatures of a row's repodata record as served under the top-level "signatures" key of
-- repodata.json: compact JSON {"<pkg_mgr public key hex>": {"signature": "<hex>"}}. NULL until the row
-- is signed (rows stored before the instance had keys are signed by the start-up backfill).
ALTER TABLE package_files ADD COLUMN signatures_json TEXT;

-- The public trust metadata served under /trust/: each root version ("1.root.json", "2.root.json",
-- ...) and "key_mgr.json", as the exact bytes clients download. Private keys never enter the database.
CREATE TABLE trust_metadata (
    name       TEXT    PRIMARY KEY,
    kind       TEXT    NOT NULL CHECK (kind IN ('root', 'key_mgr')),
    version    INTEGER NOT NULL,
    body       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
