-- Blob keys and SHA-256s arrive in no order: an index of whole keys took every insert to a random page of a
-- large index. Index an eight-hex-digit tag of each instead (see DigestIndexes); lookups compare the full key on
-- the rows the tag finds.
DROP INDEX package_files_blob_key;
CREATE INDEX package_files_blob_tag ON package_files (substr(blob_key, 11, 8));

-- passive_blobs loses its primary key on (sha256, mirror_id), an index of whole digests; a mirror replaces a
-- source by deleting and inserting it.
ALTER TABLE passive_blobs DROP CONSTRAINT passive_blobs_pkey;
CREATE INDEX passive_blobs_sha256_tag ON passive_blobs (substr(sha256, 1, 8));
