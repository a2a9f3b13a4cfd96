CREATE INDEX change_log_created ON change_log (created_at);

-- Publishing reads one package name of one subdir, or a whole subdir in name order.
CREATE INDEX package_files_subdir_name ON package_files (channel_id, label, subdir, name, filename);

-- Blobs whose last row went away, and when. A blob is deleted only a grace period later, so that no
-- node serving a snapshot that still lists the file finds its bytes gone.
CREATE TABLE blob_garbage (
    blob_key  VARCHAR(1024) PRIMARY KEY,
    marked_at BIGINT        NOT NULL
);
