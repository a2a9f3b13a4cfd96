-- Blob keys and SHA-256s arrive in no order: an index of whole keys took every insert to a random page of a
-- large index. Index an eight-hex-digit tag of each instead (see DigestIndexes); lookups compare the full key on
-- the rows the tag finds.
DROP INDEX package_files_blob_key;
CREATE INDEX package_files_blob_tag ON package_files (substr(blob_key, 11, 8));

-- passive_blobs loses its primary key on (sha256, mirror_id), an index of whole digests; a mirror replaces a
-- source by deleting and inserting it.
CREATE TABLE passive_blobs_tagged (
    sha256    TEXT    NOT NULL,
    mirror_id INTEGER NOT NULL REFERENCES mirrors (id) ON DELETE CASCADE,
    url       TEXT    NOT NULL,
    size      INTEGER NOT NULL
);
INSERT INTO passive_blobs_tagged (sha256, mirror_id, url, size) SELECT sha256, mirror_id, url, size FROM passive_blobs;
DROP TABLE passive_blobs;
ALTER TABLE passive_blobs_tagged RENAME TO passive_blobs;
CREATE INDEX passive_blobs_sha256_tag ON passive_blobs (substr(sha256, 1, 8));
