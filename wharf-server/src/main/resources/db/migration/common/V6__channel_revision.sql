-- A counter raised in the transaction of every change to a channel's files. Each node compares it with
-- what it last saw to drop its in-memory indexes of channels another node changed.
ALTER TABLE channels ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;

-- "Recent uploads" on the home page reads the newest rows first.
CREATE INDEX package_files_uploaded ON package_files (uploaded_at);
